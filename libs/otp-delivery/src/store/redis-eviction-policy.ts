/**
 * The eviction policy Redis reports in `INFO memory` when it may evict the module's keys, or
 * undefined when it never does: no `maxmemory` (0), or `noeviction` (a full Redis refuses writes,
 * which the module answers like an outage). Every key the module writes has a TTL, so every
 * `volatile-*` policy (ElastiCache's default is `volatile-lru`) can evict idempotency records and
 * limit counters, as can every `allkeys-*` one.
 */
export function evictingPolicy(infoMemory: string): string | undefined {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(infoMemory)?.[1]?.trim();
  const maxmemory = Number(field('maxmemory'));
  const policy = field('maxmemory_policy');
  if (!policy || policy === 'noeviction' || !(maxmemory > 0)) return undefined;
  return policy;
}
