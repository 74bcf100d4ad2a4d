import { describeRedisCluster } from '../support/redis-cluster.js';
import { replicaScenarios } from './support/replica-scenarios.js';

/** Fixed (the cluster is new for every run), so the keys below hash to the same slots on every run. */
const PREFIX = 'tok-cluster:';

describeRedisCluster('tokenization callbacks on two replicas sharing a Redis Cluster', (cluster) => {
  replicaScenarios(() => ({ type: 'redis', cluster: { nodes: [...cluster().nodes] }, keyPrefix: PREFIX }));

  it('kept the state of those requests on every master, the counters of the send in three different slots', async () => {
    const keys = await cluster().keys(`${PREFIX}*`);
    expect(new Set(await Promise.all(keys.map((key) => cluster().nodeOf(key)))).size).toBe(3);
    const counters = keys.filter((key) => key.startsWith(`${PREFIX}rl:`));
    expect(counters).toHaveLength(3);
    expect(new Set(await Promise.all(counters.map((key) => cluster().keySlot(key)))).size).toBe(3);
  });
});
