import { setTimeout as sleep } from 'node:timers/promises';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';
import { baseOptions, startCallbackApp } from '../tokenization/support/callback-app.js';

/** The boot's lines once the store had time to ask Redis (it connects in the background). */
async function bootLines(redisUrl: string): Promise<string[]> {
  const logs: string[] = [];
  const harness = await startCallbackApp({ logs, options: (sandbox, smtp) => ({ ...baseOptions(sandbox, smtp), store: { type: 'redis', redisUrl } }) });
  for (let waited = 0; waited < 2_000 && !logs.some((line) => line.includes('RedisOtpStore')); waited += 50) await sleep(50);
  await harness.close();
  return logs;
}

/**
 * Every key the module writes has a TTL: a Redis that may evict them forgets idempotency records
 * (a repeat sends again) and counters (a limit starts over). The boot says so.
 */
describeRedis('the eviction policy of the module\'s Redis', () => {
  it('is named in a warning at boot when Redis may evict the module\'s keys', async () => {
    const server = await spawnRedisServer(await freePort(), ['--maxmemory', '64mb', '--maxmemory-policy', 'volatile-lru']);
    try {
      const warnings = (await bootLines(server!.url)).filter((line) => line.includes('maxmemory-policy volatile-lru'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('Set maxmemory-policy noeviction');
    } finally {
      await server?.stop();
    }
  });

  it('is not mentioned with noeviction', async () => {
    const server = await spawnRedisServer(await freePort(), ['--maxmemory', '64mb', '--maxmemory-policy', 'noeviction']);
    try {
      // The harness waits up to 2 s for a RedisOtpStore line: none comes.
      expect((await bootLines(server!.url)).filter((line) => line.includes('maxmemory-policy'))).toEqual([]);
    } finally {
      await server?.stop();
    }
  });
});
