import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { OtpDeliveryModule, OtpStore, type StoreOptions } from 'nestjs-otp-delivery';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { failFastRedisOptions } from '../../libs/otp-delivery/src/store/redis-client.factory.js';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';
import { spawnRedisSentinel, type TestSentinel } from '../support/redis-sentinel.js';

/** What the README says about Sentinel: ioredis finds the master, the module only needs a fail-fast client. */
describeRedis(
  'store.redis through Redis Sentinel',
  () => {
    let master: Awaited<ReturnType<typeof spawnRedisServer>>;
    let sentinel: TestSentinel;
    beforeAll(async () => {
      master = await spawnRedisServer(await freePort());
      if (!master) throw new Error('could not start the master redis-server');
      sentinel = await spawnRedisSentinel(master.port);
    });
    afterAll(async () => {
      await sentinel?.stop();
      await master?.stop();
    });

    const sendTwice = async (redis: NonNullable<StoreOptions['redis']>, keyPrefix: string) => {
      const moduleRef = await Test.createTestingModule({
        imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', redis, keyPrefix }, limits: { perCard: { max: 1, windowSeconds: 60 } } })],
      }).compile();
      await moduleRef.init();
      try {
        expect(moduleRef.get(OtpStore)).toBeInstanceOf(RedisOtpStore);
        const controls = moduleRef.get(OtpSendControls);
        await controls.admit({ cardRef: 'c', destination: '+819012345678', channel: 'sms' });
        await expect(controls.admit({ cardRef: 'c', destination: '+819012345678', channel: 'sms' })).rejects.toMatchObject({ reason: 'rate-limited', limit: 'card' });
      } finally {
        await moduleRef.close();
      }
      const direct = new Redis(master!.port);
      try {
        expect(await direct.keys(`${keyPrefix}rl:*`)).toHaveLength(3);
      } finally {
        direct.disconnect();
      }
    };

    it('finds the master through Sentinel with the app’s own fail-fast client, which the app keeps', async () => {
      const client = new Redis({ sentinels: [{ host: sentinel.host, port: sentinel.port }], name: sentinel.masterName, ...failFastRedisOptions(500) });
      client.on('error', () => undefined);
      await sendTwice(client, 'sentinel-client:');
      expect(client.status).toBe('ready');
      await client.quit();
    });

    it('finds the master through Sentinel from plain options, with the module’s fail-fast settings', async () => {
      await sendTwice({ sentinels: [{ host: sentinel.host, port: sentinel.port }], name: sentinel.masterName }, 'sentinel-options:');
    });
  },
  { needsBinary: true },
);
