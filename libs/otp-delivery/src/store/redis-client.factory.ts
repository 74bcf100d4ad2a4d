import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import type { ResolvedStoreOptions } from './store-options.js';

/** A client the app made itself: an ioredis `Redis` or `Cluster`, of the library's ioredis copy or another. */
export type RedisClient = Redis | Cluster;

/**
 * Whether `value` is an ioredis client (`Redis` or `Cluster`) rather than connection options.
 * Duck-typed on what every ioredis client has: `instanceof Redis` is false for a client of another
 * ioredis copy (two versions in node_modules, a bundled app) and for a `Cluster`, and such a
 * client taken for options would be silently replaced by a new client to 127.0.0.1:6379.
 */
export function isRedisClient(value: unknown): value is RedisClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.defineCommand === 'function' && typeof candidate.sendCommand === 'function' && typeof candidate.status === 'string';
}

/** Whether `value` is a plain object (a literal, `Object.create(null)`): the only shape taken as connection options. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

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
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // ioredis arms this timer on every disconnect and may never clear it for a socket that never
    // connected; the 2 s default then holds the process (and a shutting-down pod) open.
    disconnectTimeout: commandTimeoutMs,
  };
}

/**
 * The client the Redis store uses, and whether the store owns it: an app-provided client (any
 * ioredis `Redis` or `Cluster`) is used as it is (its lifecycle stays with the app); plain options
 * or a URL create a fail-fast client.
 */
export function createRedisClient(options: ResolvedStoreOptions): { client: Redis; owned: boolean } {
  // A Cluster answers the same commands as Redis; the store's multi-key limit script still needs
  // its keys in one slot there (full Cluster support is a later change).
  if (isRedisClient(options.redis)) return { client: options.redis as Redis, owned: false };
  const failFast = failFastRedisOptions(options.commandTimeoutMs);
  const client = options.redis
    ? new Redis({ ...failFast, ...options.redis })
    : new Redis(options.redisUrl, failFast);
  // Without a listener ioredis prints every reconnect error; the store reports failures itself.
  client.on('error', () => undefined);
  return { client, owned: true };
}
