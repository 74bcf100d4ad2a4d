// A/B of the Redis store's client with and without ioredis auto-pipelining, outside any app: the
// three store calls one sendOTP makes (idempotency claim, rate-limit consume, outcome), 30,000
// times with 32 in flight, against a throwaway redis-server. Prints store calls/s and the CPU the
// Node process spends per sendOTP. `node bench/e2e/redis-store-ab.js` (after `npm run build`).
import { Redis } from 'ioredis';
// An internal class: not exported by the package, so it is loaded from the build.
import { RedisOtpStore } from '../../libs/otp-delivery/dist/store/redis-otp.store.js';
import { startRedisServer } from './redis-server.js';

const N = 30_000;
const IN_FLIGHT = 32;

async function measure(url, autoPipelining) {
  const client = new Redis(url, { enableAutoPipelining: autoPipelining, maxRetriesPerRequest: 1 });
  const store = new RedisOtpStore(client, { keyPrefix: `ab${autoPipelining ? 'a' : 'p'}${Date.now()}:` });
  const sendOtp = async (i) => {
    const key = `idem:${i}`;
    await store.setIfAbsent(key, 'pending', 600_000);
    await store.consume([
      { key: `card:${i % 5000}`, limit: 1e9, windowMs: 3_600_000 },
      { key: `dest:${i % 5000}`, limit: 1e9, windowMs: 3_600_000 },
      { key: 'client', limit: 1e9, windowMs: 60_000 },
    ]);
    await store.set(key, '{"status":200,"body":{}}', 600_000);
  };
  for (let i = 1; i <= 2000; i += 1) await sendOtp(-i);
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < N) await sendOtp(next++);
  }));
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  await client.quit();
  return { perSecond: (N / ms) * 1000, cpuUs: (used.user + used.system) / N };
}

const redis = await startRedisServer();
if (!redis) throw new Error('needs redis-server on PATH');
try {
  for (const round of [1, 2]) {
    for (const auto of [false, true]) {
      const r = await measure(redis.url, auto);
      console.log(`round ${round} ${auto ? 'auto-pipelining' : 'one write/cmd  '}: ${r.perSecond.toFixed(0).padStart(6)} sendOTP store sequences/s, ${r.cpuUs.toFixed(1)} us app CPU per sendOTP`);
    }
  }
} finally {
  await redis.stop();
}
