import type { Redis, RedisOptions } from 'ioredis';
import type { ResolvedStoreOptions } from './store-options.js';
import { isRedisClient } from './redis-client-shape.js';

/**
 * Options that make a Redis outage fail fast: no offline queue (a command sent while
 * disconnected is refused at once instead of waiting and running late), a command timeout for a
 * Redis that accepts connections but does not answer, one retry per request, and a capped
 * reconnect backoff so the client keeps trying in the background.
 */
export function failFastRedisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // ioredis arms this timer on every disconnect and may never clear it for a socket that never
    // connected; the 2 s default then holds the process (and a shutting-down pod) open.
    disconnectTimeout: commandTimeoutMs,
  };
}

/**
 * The client the Redis store uses, and whether the store owns it: an app-provided client (any
 * ioredis `Redis` or `Cluster`) is used as it is (its lifecycle stays with the app); plain options
 * or a URL create a fail-fast client. ioredis itself is loaded here, on first use, so an app on
 * the memory store never loads it.
 */
export async function createRedisClient(options: ResolvedStoreOptions): Promise<{ client: Redis; owned: boolean }> {
  // A Cluster answers the same commands as Redis; the store's multi-key limit script still needs
  // its keys in one slot there (full Cluster support is a later change).
  if (isRedisClient(options.redis)) return { client: options.redis as unknown as Redis, owned: false };
  const { Redis } = await import('ioredis');
  const failFast = failFastRedisOptions(options.commandTimeoutMs);
  const client = options.redis
    ? new Redis({ ...failFast, ...(options.redis as RedisOptions) })
    : new Redis(options.redisUrl, failFast);
  // Without a listener ioredis prints every reconnect error; the store reports failures itself.
  client.on('error', () => undefined);
  return { client, owned: true };
}
