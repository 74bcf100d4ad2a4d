import { Redis } from 'ioredis';
import { OtpDeliveryHealthIndicator, StoreUnavailableError, failFastRedisOptions } from 'nestjs-otp-delivery';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { resolveOtpDeliveryOptions } from '../../libs/otp-delivery/src/options/resolve-options.js';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';

/**
 * What health checks ask the store: can it serve the module? A Redis that answers PING but refuses
 * writes (out of memory under noeviction, a read-only replica after a failover) answers every
 * sendOTP 921 while readiness said up.
 */
describeRedis('RedisOtpStore.ping', () => {
  let server: Awaited<ReturnType<typeof spawnRedisServer>>;
  let admin: Redis;
  let client: Redis;
  let store: RedisOtpStore;

  beforeAll(async () => {
    server = await spawnRedisServer(await freePort());
    if (!server) throw new Error('redis-server did not start');
    admin = new Redis(server.url);
    client = new Redis(server.url, failFastRedisOptions(500));
    client.on('error', () => undefined);
    store = new RedisOtpStore(client);
  });

  afterAll(async () => {
    client?.disconnect();
    admin?.disconnect();
    await server?.stop();
  });

  it('resolves while Redis takes writes, and leaves only a short-lived key of its own', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(await admin.pttl('otp:health')).toBeGreaterThan(0);
  });

  it('rejects while Redis is out of memory under noeviction', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    try {
      await expect(store.ping()).rejects.toMatchObject({ name: 'StoreUnavailableError', full: true });
      // Full, not down: a send's counting is refused even with failMode 'open' (sending unchecked would
      // let whoever filled Redis send past every limit).
      const resolved = resolveOtpDeliveryOptions({ store: { type: 'redis', failMode: 'open' } });
      const controls = new OtpSendControls(store, resolved.limits, resolved.store);
      await expect(controls.admit({ cardRef: 'card-oom', destination: '+819012345678', channel: 'sms' })).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'store-unavailable' });
      // Readiness: a shared store that is full is reported as an unreachable one is (degraded with
      // failMode open): every replica shares it, and taking them all out would not give it room.
      const health = new OtpDeliveryHealthIndicator(resolved.health, resolved.store, resolved.cm, store);
      expect((await health.checkStore()).store).toMatchObject({ status: 'degraded', failMode: 'open', message: expect.stringContaining('OTP store full') });
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('rejects while Redis is a read-only replica', async () => {
    // A master that does not exist: Redis turns read-only at once and keeps trying to reach it.
    await admin.call('REPLICAOF', '127.0.0.1', String(await freePort()));
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await admin.call('REPLICAOF', 'NO', 'ONE');
    }
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
