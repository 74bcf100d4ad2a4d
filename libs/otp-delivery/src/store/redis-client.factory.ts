import type { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { ResolvedStoreOptions, StoreClusterOptions } from './store-options.js';
import { isRedisClient, type RedisClient } from './redis-client-shape.js';

/** Longest a closing connection of the module's client may hold the process after it was let go. */
const SHUTDOWN_LINGER_MS = 50;

/**
 * Options that make a Redis outage fail fast: no offline queue (a command sent while
 * disconnected is refused at once instead of waiting and running late), a command timeout for a
 * Redis that accepts connections but does not answer, one retry per request, and a capped
 * reconnect backoff so the client keeps trying in the background.
 */
export function failFastRedisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    maxRetriesPerRequest: 1,
    // A command in flight when the connection drops fails (within the command timeout) instead of
    // being sent again on the next connection: the module has taken its failure for "not done"
    // (answered 921, undone a claim), so running it later would undo that.
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // ioredis arms this timer on every disconnect and may never clear it for a socket that never
    // connected; the 2 s default then holds the process (and a shutting-down pod) open. Short and
    // fixed, not the command timeout: a Cluster's slot-refresh connections are disconnected after
    // quit() has resolved (app.close() done), and each held the process up to commandTimeoutMs more.
    disconnectTimeout: SHUTDOWN_LINGER_MS,
    // The commands of concurrent sends that fall in one tick go out in one socket write: a write
    // per command costs the app more CPU than the command itself (measured in BENCHMARKS.md).
    enableAutoPipelining: true,
  };
}

/**
 * The same for a Redis Cluster: no offline queue on the cluster, and every node connection made
 * with the fail-fast options above (a command to a master that is down or hung fails within the
 * command timeout). The cluster reconnects in the background with a capped backoff, and refreshes
 * its slot map within the command timeout too.
 */
export function failFastClusterOptions(commandTimeoutMs: number): ClusterOptions {
  // The cluster sets retryStrategy and the offline queue of its node connections itself.
  const { retryStrategy, enableOfflineQueue, lazyConnect, ...node } = failFastRedisOptions(commandTimeoutMs);
  return {
    lazyConnect,
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy,
    slotsRefreshTimeout: Math.max(commandTimeoutMs, 1000),
    redisOptions: node,
  };
}

/**
 * The client the Redis store uses, and whether the store owns it: an app-provided client (any
 * ioredis `Redis` or `Cluster`) is used as it is (its lifecycle stays with the app); `cluster`
 * nodes, plain options or a URL create a fail-fast client. ioredis itself is loaded here, on first
 * use, so an app on the memory store never loads it.
 */
export async function createRedisClient(options: ResolvedStoreOptions): Promise<{ client: RedisClient; owned: boolean }> {
  if (isRedisClient(options.redis)) return { client: options.redis as unknown as RedisClient, owned: false };
  const ioredis = await import('ioredis');
  const failFast = failFastRedisOptions(options.commandTimeoutMs);
  const client: RedisClient = options.redis
    ? new ioredis.Redis({ ...failFast, ...(options.redis as RedisOptions) })
    : options.cluster
      ? createClusterClient(ioredis.Cluster, options.cluster, options.commandTimeoutMs)
      : new ioredis.Redis(options.redisUrl, failFast);
  // Without a listener ioredis prints every reconnect error; the store reports failures itself.
  client.on('error', () => undefined);
  return { client, owned: true };
}

function createClusterClient(ClusterClient: typeof Cluster, cluster: StoreClusterOptions, commandTimeoutMs: number): Cluster {
  const failFast = failFastClusterOptions(commandTimeoutMs);
  return new ClusterClient([...cluster.nodes], {
    ...failFast,
    ...(cluster.natMap ? { natMap: cluster.natMap } : {}),
    redisOptions: { ...failFast.redisOptions, ...(cluster.redisOptions as RedisOptions | undefined) },
  });
}
