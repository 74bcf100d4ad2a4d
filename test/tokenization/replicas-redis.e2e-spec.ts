import { describeRedis } from '../support/redis.js';
import { replicaScenarios } from './support/replica-scenarios.js';

describeRedis('tokenization callbacks on two replicas sharing Redis', (redis) => {
  replicaScenarios(() => ({ type: 'redis', redisUrl: redis().url }));
});
