import { Redis } from 'ioredis';
import { resolveOtpDeliveryOptions } from '../../libs/otp-delivery/src/options/resolve-options.js';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/index.js';
import { RedisOtpStore, StoreUnavailableError, failFastRedisOptions } from '../../libs/otp-delivery/src/store/index.js';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';

/** Retries `probe` until it resolves (Redis reconnects in the background), up to 10 s. */
async function eventually<T>(probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describeRedis(
  'RedisOtpStore through a Redis outage',
  () => {
    it('fails typed while Redis is away, recovers on its own when it returns, and never queues commands', async () => {
      const port = await freePort();
      const client = new Redis(`redis://127.0.0.1:${port}`, failFastRedisOptions(300));
      client.on('error', () => undefined);
      const store = new RedisOtpStore(client, { ownsClient: true, connectTimeoutMs: 300 });
      const options = resolveOtpDeliveryOptions({ limits: { perCard: { max: 2, windowSeconds: 60 } } });
      const controls = new OtpSendControls(store, options.limits, options.store);
      const send = () => controls.admit({ cardRef: 'card', destination: '+819012345678', channel: 'sms' });
      let server: Awaited<ReturnType<typeof spawnRedisServer>> = null;
      try {
        // Not started yet: nothing listens on the port.
        await expect(store.consume([{ key: 'k', limit: 1, windowMs: 1000 }])).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(send()).rejects.toMatchObject({ reason: 'store-unavailable' });

        server = await spawnRedisServer(port);
        expect(server).not.toBeNull();
        await eventually(() => store.ping());
        await send();
        // The refused attempts made while Redis was away were not queued and replayed: one counted send so far.
        await send();
        await expect(send()).rejects.toMatchObject({ reason: 'rate-limited' });

        await server!.stop();
        server = null;
        await eventually(async () => {
          await expect(store.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
        });
        await expect(send()).rejects.toMatchObject({ reason: 'store-unavailable' });

        server = await spawnRedisServer(port);
        await eventually(() => store.ping());
        // A fresh server (no persistence) starts with empty counters.
        await send();
      } finally {
        await store.onApplicationShutdown();
        await server?.stop();
      }
    });
  },
  { needsBinary: true },
);
