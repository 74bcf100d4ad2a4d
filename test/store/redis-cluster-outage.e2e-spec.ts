import { createHook } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Test, type TestingModule } from '@nestjs/testing';
import { OtpDeliveryModule, OtpStore, StoreUnavailableError, type CounterLimit } from 'nestjs-otp-delivery';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { describeRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';

const PREFIX = 'outage:';
const COMMAND_TIMEOUT_MS = 300;

/** One counter name per master, in the order of `cluster.nodes`, so a consume spans all three. */
async function counterPerMaster(cluster: TestRedisCluster): Promise<{ name: string; master: string }[]> {
  const masters = cluster.nodes.map((node) => `${node.host}:${node.port}`);
  const found = new Map<string, string>();
  for (let i = 0; found.size < masters.length; i += 1) {
    const master = await cluster.nodeOf(`${PREFIX}counter-${i}`);
    if (!found.has(master)) found.set(master, `counter-${i}`);
  }
  return masters.map((master) => ({ name: found.get(master)!, master }));
}

describeRedisCluster(
  'RedisOtpStore (store.cluster) when a cluster master goes down',
  (cluster) => {
    let moduleRef: TestingModule;
    let store: RedisOtpStore;
    beforeAll(async () => {
      const nodes = cluster().nodes.map((node) => ({ ...node }));
      moduleRef = await Test.createTestingModule({
        imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', cluster: { nodes }, keyPrefix: PREFIX, commandTimeoutMs: COMMAND_TIMEOUT_MS } })],
      }).compile();
      await moduleRef.init();
      store = moduleRef.get<RedisOtpStore>(OtpStore);
    });
    afterAll(async () => {
      await moduleRef.close();
    });

    it('fails typed within the command timeout, gives back the units taken on the live masters, keeps serving their slots, and still refuses over a limit', async () => {
      const [a, b, c] = await counterPerMaster(cluster());
      const limit = (counter: { name: string }, max = 10): CounterLimit => ({ key: counter.name, limit: max, windowMs: 60_000 });
      expect(await store.consume([limit(a!), limit(b!), limit(c!)])).toEqual({ allowed: true });

      await cluster().stopNode(c!.master);
      const started = Date.now();
      const attempt = store.consume([limit(a!), limit(b!), limit(c!)]);
      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toThrow('OTP store unavailable during consume');
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 700);
      // The failed attempt took a unit on each live master and gave it back: one send counted so far.
      expect([await store.get(a!.name), await store.get(b!.name)]).toEqual(['1', '1']);

      expect(await store.consume([limit(a!), limit(b!)])).toEqual({ allowed: true });
      // A counter at its limit on a live master refuses, whatever the dead master would have said:
      // the send is refused rather than failed (failMode 'open' must not send it unchecked).
      expect(await store.consume([limit(a!, 2), limit(c!)])).toMatchObject({ allowed: false, exceededKey: a!.name });
    });

    it('lets the process go once closed, a master down: no timer of its client outlives app.close() by more than a moment', async () => {
      // A command timeout well above the moment waited below: the client's disconnect timers once
      // followed it, and held the process (a Jest worker, a pod shutting down) that long after close.
      const commandTimeoutMs = 1500;
      // The timers ioredis arms (not the test runner's own): told apart by where they were created.
      const timers = new Set<{ hasRef(): boolean; _destroyed?: boolean }>();
      const hook = createHook({
        init: (_id, type, _trigger, resource) => {
          if (type === 'Timeout' && /[\\/]ioredis[\\/]/.test(new Error().stack ?? '')) timers.add(resource as { hasRef(): boolean; _destroyed?: boolean });
        },
      }).enable();
      try {
        const nodes = cluster().nodes.map((node) => ({ ...node }));
        const other = await Test.createTestingModule({
          imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', cluster: { nodes }, keyPrefix: PREFIX, commandTimeoutMs } })],
        }).compile();
        await other.init();
        const otherStore = other.get<RedisOtpStore>(OtpStore);
        // Commands to every master, the stopped one included: failures that make the client refresh its slot map.
        await Promise.allSettled(Array.from({ length: 20 }, (_, i) => otherStore.set(`linger-${i}`, 'v', 10_000)));
        await sleep(100);
        await Promise.allSettled(Array.from({ length: 20 }, (_, i) => otherStore.set(`linger-${i}`, 'v', 10_000)));
        await other.close();
        await sleep(150);
        expect([...timers].filter((timer) => !timer._destroyed && timer.hasRef())).toHaveLength(0);
      } finally {
        hook.disable();
      }
    });
  },
  // The live masters keep serving their slots while one is down (the default stops the whole cluster).
  { serverArgs: ['--cluster-require-full-coverage', 'no'] },
);
