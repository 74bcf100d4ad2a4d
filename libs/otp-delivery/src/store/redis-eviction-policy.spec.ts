import { evictingPolicy } from './redis-eviction-policy.js';

const info = (maxmemory: number, policy: string) => `# Memory\r\nused_memory:1048576\r\nmaxmemory:${maxmemory}\r\nmaxmemory_human:0B\r\nmaxmemory_policy:${policy}\r\n`;

describe('evictingPolicy', () => {
  it('names a policy that may evict the module\'s keys once Redis has a memory limit', () => {
    expect(evictingPolicy(info(104_857_600, 'volatile-lru'))).toBe('volatile-lru');
    expect(evictingPolicy(info(104_857_600, 'allkeys-lfu'))).toBe('allkeys-lfu');
  });

  it('finds nothing to say for noeviction, for no memory limit, or for an answer without the fields', () => {
    expect(evictingPolicy(info(104_857_600, 'noeviction'))).toBeUndefined();
    expect(evictingPolicy(info(0, 'volatile-lru'))).toBeUndefined();
    expect(evictingPolicy('# Memory\r\nused_memory:1\r\n')).toBeUndefined();
  });
});
