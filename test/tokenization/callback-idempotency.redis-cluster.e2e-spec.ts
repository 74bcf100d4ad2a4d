import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from 'ioredis';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { failFastClusterOptions } from '../../libs/otp-delivery/src/store/redis-client.factory.js';
import { CallbackIdempotency } from '../../libs/otp-delivery/src/tokenization/callback-idempotency.service.js';
import { resolveTokenizationOptions } from '../../libs/otp-delivery/src/tokenization/tokenization-options.resolver.js';
import type { CallbackOutcome } from '../../libs/otp-delivery/src/tokenization/callback-error-response.js';
import { describeRedisCluster } from '../support/redis-cluster.js';

const LEASE_MS = 300;
const OK: CallbackOutcome = { status: 200, body: {} };
const PREFIX = 'idem-cluster:';

/**
 * `CallbackIdempotency` (claim, lease renewal, outcome, release) on a real 3-master Redis Cluster,
 * with two "replicas": each its own cluster client, store and service.
 */
describeRedisCluster('CallbackIdempotency on a Redis Cluster, two replicas', (cluster) => {
  const clients: Cluster[] = [];
  const services: CallbackIdempotency[] = [];
  afterAll(async () => {
    services.forEach((service) => service.onApplicationShutdown());
    await Promise.all(clients.map((client) => client.quit()));
  });

  const replica = () => {
    const client = new Cluster([...cluster().nodes], failFastClusterOptions(1000));
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisOtpStore(client, { keyPrefix: PREFIX });
    const options = { ...resolveTokenizationOptions({ methodIdSecret: 'a-secret-every-replica-shares-0001' }), idempotencyLeaseMs: LEASE_MS };
    const service = new CallbackIdempotency(store, options);
    services.push(service);
    return { store, service };
  };
  /** One idempotency key per master, so every master serves claims. */
  const keyPerMaster = async (label: string) => {
    const found = new Map<string, string>();
    for (let i = 0; found.size < 3; i += 1) {
      const key = `${label}-${i}`;
      const master = await cluster().nodeOf(PREFIX + key);
      if (!found.has(master)) found.set(master, key);
    }
    return [...found.values()];
  };

  it('runs the work once per key when repeats race on both replicas, for keys on every master', async () => {
    const [a, b] = [replica(), replica()];
    const keys = await keyPerMaster('race');
    const runs = new Map<string, number>();
    const work = (key: string) => async () => {
      runs.set(key, (runs.get(key) ?? 0) + 1);
      await sleep(60);
      return OK;
    };
    const answers = await Promise.all(keys.flatMap((key) => [a, b, a, b].map(({ service }) => service.run(key, work(key)))));
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(3);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect([...runs.values()]).toEqual([1, 1, 1]);
  });

  it("keeps a live owner's lease on its master however long the work takes (renewals), then replays its outcome", async () => {
    const [owner, other] = [replica(), replica()];
    let runs = 0;
    const slowWork = async () => {
      runs += 1;
      await sleep(LEASE_MS * 4);
      return OK;
    };
    const first = owner.service.run('slow', slowWork);
    // The owner's claim is in (a fixed head start of 20 ms was not always enough on a loaded machine).
    for (let waited = 0; waited < 2_000 && !(await owner.store.get('slow'))?.startsWith('pending:'); waited += 10) await sleep(10);
    expect(await other.service.run('slow', slowWork)).toMatchObject({ status: 500, body: { responseCode: 921 }, replayed: true });
    expect(await first).toEqual({ ...OK, replayed: false });
    expect(await other.service.run('slow', slowWork)).toEqual({ ...OK, replayed: true });
    expect(runs).toBe(1);
  });

  it("takes over a crashed owner's claim once its lease ends, and releases its own claim on an unexpected failure", async () => {
    const { store, service } = replica();
    await store.setIfAbsent('crashed', 'pending:crashed-owner', LEASE_MS);
    const started = Date.now();
    expect(await service.run('crashed', async () => OK)).toEqual({ ...OK, replayed: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE_MS - 30);

    await expect(service.run('fails', async () => Promise.reject(new Error('resolver down')))).rejects.toThrow('resolver down');
    expect(await store.get('fails')).toBeNull();
    expect(await replica().service.run('fails', async () => OK)).toEqual({ ...OK, replayed: false });
  });
});
