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
  },
  // The live masters keep serving their slots while one is down (the default stops the whole cluster).
  { serverArgs: ['--cluster-require-full-coverage', 'no'] },
);
