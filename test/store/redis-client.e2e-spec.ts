import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { OtpDeliveryModule, OtpStore, type StoreOptions } from 'nestjs-otp-delivery';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';


/**
 * ioredis loaded a second time, in a registry of its own: what an app gets when its ioredis is
 * another copy than the library's (two versions in node_modules, a bundler, a monorepo).
 */
function anotherIoredisCopy(): typeof import('ioredis') {
  const require = createRequire(import.meta.url);
  let copy: typeof import('ioredis') | undefined;
  jest.isolateModules(() => {
    copy = require('ioredis') as typeof import('ioredis');
  });
  return copy!;
}

async function bootWithStore(store: StoreOptions): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({ store })] }).compile();
  return moduleRef.init();
}

describeRedis('store.redis: the app’s own ioredis client', (redis) => {
  it('uses a client of another ioredis copy as given: keys and limit scripts land in that Redis, and the app keeps it open', async () => {
    const copy = anotherIoredisCopy();
    const client = new copy.Redis(redis().url, { maxRetriesPerRequest: 1 });
    expect(client).not.toBeInstanceOf(Redis);
    // No cast: the option's type is structural, so any copy's client fits.
    const moduleRef = await bootWithStore({ type: 'redis', redis: client, keyPrefix: 'foreign:' });
    try {
      const store = moduleRef.get<RedisOtpStore>(OtpStore);
      expect(store.client).toBe(client);
      const key = `k-${randomUUID()}`;
      await store.set(key, 'v', 60_000);
      expect(await redis().client().get(`foreign:${key}`)).toBe('v');
      // The limits' Lua script, defined on the app's client.
      await moduleRef.get(OtpSendControls).admit({ cardRef: `card-${randomUUID()}`, destination: '+819012345678', channel: 'sms' });
      expect((await redis().client().keys('foreign:*')).length).toBeGreaterThan(1);
    } finally {
      await moduleRef.close();
    }
    expect(client.status).toBe('ready');
    await client.quit();
  });

  it('treats a plain object as connection options: the module creates, owns and quits its client', async () => {
    const { port } = new URL(redis().url);
    // ioredis' own options type fits the option's structural type as it is.
    const connection: RedisOptions = { host: '127.0.0.1', port: Number(port) };
    const moduleRef = await bootWithStore({ type: 'redis', redis: connection, keyPrefix: 'owned:' });
    const store = moduleRef.get<RedisOtpStore>(OtpStore);
    const key = `k-${randomUUID()}`;
    await store.set(key, 'v', 60_000);
    expect(await redis().client().get(`owned:${key}`)).toBe('v');
    await moduleRef.close();
    // quit() resolves on Redis's OK; the socket closes a moment later.
    for (let i = 0; i < 100 && store.client.status !== 'end'; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.client.status).toBe('end');
  });

  it('refuses at boot a store.redis that is neither an ioredis client nor plain options, naming the key', async () => {
    class NotAClient {
      readonly host = '127.0.0.1';
    }
    await expect(bootWithStore({ type: 'redis', redis: new NotAClient() as never })).rejects.toMatchObject({
      problems: ['store.redis must be an ioredis client (Redis or Cluster) or a plain object of ioredis connection options'],
    });
  });
});

describeRedis(
  'store.redis: an ioredis Cluster client',
  () => {
    let cluster: { port: number; stop(): Promise<void> } | null = null;
    const configDir = mkdtempSync(join(tmpdir(), 'otp-redis-cluster-'));

    beforeAll(async () => {
      const port = await freePort();
      // The cluster bus gets a free port of its own: the default, port + 10000, does not exist for an
      // ephemeral port above 55535 (then redis-server does not start: this suite's old flake).
      const busPort = await freePort();
      cluster = await spawnRedisServer(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPort),
        '--cluster-config-file',
        join(configDir, 'nodes.conf'),
        // Without it the node announces an empty address, which ioredis cannot follow.
        '--cluster-announce-ip',
        '127.0.0.1',
      ]);
      if (!cluster) throw new Error('could not start a cluster-enabled redis-server');
      // One node holding every slot: a real, if small, Redis Cluster.
      const admin = new Redis(port, { lazyConnect: true });
      await admin.connect();
      await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
      for (let i = 0; i < 100 && !String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); i += 1) await new Promise((r) => setTimeout(r, 50));
      admin.disconnect();
    });

    afterAll(async () => {
      await cluster?.stop();
      rmSync(configDir, { recursive: true, force: true });
    });

    it('is used as given, not replaced by a client to 127.0.0.1:6379: keys and limits land in the cluster', async () => {
      const client = new Cluster([{ host: '127.0.0.1', port: cluster!.port }]);
      client.on('error', () => undefined);
      const moduleRef = await bootWithStore({ type: 'redis', redis: client, keyPrefix: 'cluster:' });
      try {
        const store = moduleRef.get<RedisOtpStore>(OtpStore);
        expect(store.client).toBe(client);
        const key = `k-${randomUUID()}`;
        await store.set(key, 'v', 60_000);
        expect(await client.get(`cluster:${key}`)).toBe('v');
        // The limits span three slots: refused in one script (CROSSSLOT) even when one node holds them all.
        await moduleRef.get(OtpSendControls).admit({ cardRef: `card-${randomUUID()}`, destination: '+819012345678', channel: 'sms' });
        expect((await client.keys('cluster:rl:*')).length).toBe(3);
      } finally {
        await moduleRef.close();
      }
      expect(client.status).toBe('ready');
      await client.quit();
    });
  },
  { needsBinary: true },
);
