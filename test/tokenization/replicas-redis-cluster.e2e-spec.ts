import { describeRedisCluster } from '../support/redis-cluster.js';
import { replicaScenarios } from './support/replica-scenarios.js';

/** Fixed (the cluster is new for every run), so the keys below hash to the same slots on every run. */
const PREFIX = 'tok-cluster:';

describeRedisCluster('tokenization callbacks on two replicas sharing a Redis Cluster', (cluster) => {
  replicaScenarios(() => ({ type: 'redis', cluster: { nodes: [...cluster().nodes] }, keyPrefix: PREFIX }));

  it('counted the send in three counters of three different slots, which one script cannot span', async () => {
    const counters = await cluster().keys(`${PREFIX}rl:*`);
    expect(counters).toHaveLength(3);
    expect(new Set(await Promise.all(counters.map((key) => cluster().keySlot(key)))).size).toBe(3);
  });
});
