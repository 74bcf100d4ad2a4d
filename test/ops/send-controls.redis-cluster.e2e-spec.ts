import { Test } from '@nestjs/testing';
import { Cluster } from 'ioredis';
import { OtpDeliveryModule, OtpSendRefusedError, OtpStore } from 'nestjs-otp-delivery';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { failFastClusterOptions } from '../../libs/otp-delivery/src/store/redis-client.factory.js';
import { resolveOtpDeliveryOptions } from '../../libs/otp-delivery/src/options/resolve-options.js';
import type { LimitsOptions } from '../../libs/otp-delivery/src/limits/limits-options.js';
import { describeRedisCluster } from '../support/redis-cluster.js';

const JP_MOBILE = '+819012345678';
const jpMobile = (i: number) => `+8190123450${String(i).padStart(2, '0')}`;

/**
 * The limits on a real 3-master Redis Cluster. Key prefixes are fixed (the cluster is new for every
 * run), so the slots each test's counters hash to are the same on every run.
 */
describeRedisCluster('OtpSendControls on a shared Redis Cluster', (cluster) => {
  const clients: Cluster[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });
  const newClient = () => {
    const client = new Cluster([...cluster().nodes], failFastClusterOptions(1000));
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  /** One "replica": its own cluster client and its own controls, sharing the keyspace. */
  const replica = (prefix: string, limits: LimitsOptions) => {
    const options = resolveOtpDeliveryOptions({ limits });
    return new OtpSendControls(new RedisOtpStore(newClient(), { keyPrefix: prefix }), options.limits, options.store);
  };
  /** The counters of one kind (`card`, `dest`, `client`) under a prefix, as stored: key -> count. */
  const counters = async (prefix: string, kind: string) => {
    const keys = await cluster().keys(`${prefix}rl:${kind}:*`);
    const reader = clients[0] ?? newClient();
    return new Map(await Promise.all(keys.map(async (key) => [key, Number(await reader.get(key))] as const)));
  };
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((total, count) => total + count, 0);
  /** Asserts that no other counter shares the slot of `key`: one script over them would be refused. */
  const expectOwnSlot = async (key: string, others: readonly string[]) => {
    const slot = await cluster().keySlot(key);
    const otherSlots = new Set(await Promise.all(others.map((other) => cluster().keySlot(other))));
    expect(otherSlots.has(slot)).toBe(false);
  };

  it('counts one send in three different hash slots, which the single-node script cannot span (CROSSSLOT)', async () => {
    const prefix = 'slots:';
    await replica(prefix, {}).admit({ cardRef: 'card-1', destination: JP_MOBILE, channel: 'sms', clientId: 'tsp' });
    const keys = await cluster().keys(`${prefix}*`);
    expect(keys).toHaveLength(3);
    expect(new Set(await Promise.all(keys.map((key) => cluster().keySlot(key)))).size).toBe(3);
    // What the store sent before it knew clusters: one script over the three counters.
    await expect(clients[0]!.eval("return redis.call('GET', KEYS[1])", 3, ...keys)).rejects.toThrow(/CROSSSLOT/);
  });

  it('lets exactly the per-card limit through across two replicas racing, and counts nothing for the refused sends', async () => {
    const prefix = 'per-card:';
    const limits = { perCard: { max: 10, windowSeconds: 60 } };
    const [a, b] = [replica(prefix, limits), replica(prefix, limits)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).admit({ cardRef: 'card-1', destination: jpMobile(i), channel: 'sms' })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as OtpSendRefusedError] : []));
    expect(refusals).toHaveLength(50);
    expect(refusals.every((error) => error instanceof OtpSendRefusedError && error.reason === 'rate-limited' && error.limit === 'card')).toBe(true);

    const [card, destinations, caller] = [await counters(prefix, 'card'), await counters(prefix, 'dest'), await counters(prefix, 'client')];
    expect([...card.values()]).toEqual([10]);
    // The 50 refused sends took a unit of their destination and of the caller, and gave it back.
    expect(sum(destinations)).toBe(10);
    expect([...caller.values()]).toEqual([10]);
    await expectOwnSlot([...card.keys()][0]!, [...destinations.keys(), ...caller.keys()]);
  });

  it('lets exactly the per-destination limit through across many cards, giving back the card units of the refused sends', async () => {
    const prefix = 'per-destination:';
    const limits = { perDestination: { max: 5, windowSeconds: 60 } };
    const [a, b] = [replica(prefix, limits), replica(prefix, limits)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).admit({ cardRef: `card-${i}`, destination: JP_MOBILE, channel: 'sms' })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as OtpSendRefusedError] : []));
    expect(refusals.map((error) => [error.reason, error.limit])).toEqual(Array.from({ length: 35 }, () => ['rate-limited', 'destination']));

    const [cards, destination] = [await counters(prefix, 'card'), await counters(prefix, 'dest')];
    expect([...destination.values()]).toEqual([5]);
    // The card counter comes first: 35 units taken there were refunded (a counter back at 0 is deleted).
    expect(sum(cards)).toBe(5);
    expect(cards.size).toBe(5);
    await expectOwnSlot([...destination.keys()][0]!, [...cards.keys()]);
  });

  it('is what the module wires for store.cluster: a fail-fast cluster client it owns and quits', async () => {
    const nodes = cluster().nodes.map((node) => `redis://${node.host}:${node.port}`);
    const moduleRef = await Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRoot({ store: { type: 'redis', cluster: { nodes }, keyPrefix: 'wired:' }, limits: { perCard: { max: 1, windowSeconds: 60 } } }),
      ],
    }).compile();
    await moduleRef.init();
    const store = moduleRef.get<RedisOtpStore>(OtpStore);
    try {
      expect(store).toBeInstanceOf(RedisOtpStore);
      expect(store.client).toBeInstanceOf(Cluster);
      expect((store.client as Cluster).options).toMatchObject({ enableOfflineQueue: false, redisOptions: { commandTimeout: 500 } });
      const controls = moduleRef.get(OtpSendControls);
      await controls.admit({ cardRef: 'c', destination: JP_MOBILE, channel: 'sms' });
      await expect(controls.admit({ cardRef: 'c', destination: JP_MOBILE, channel: 'sms' })).rejects.toMatchObject({ reason: 'rate-limited', limit: 'card' });
      expect(await cluster().keys('wired:*')).toHaveLength(3);
    } finally {
      await moduleRef.close();
    }
    for (let i = 0; i < 100 && store.client.status !== 'end'; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.client.status).toBe('end');
  });
});
