import type { Cluster, Redis } from 'ioredis';

/** An ioredis client of any copy: `Redis` or `Cluster` (what the store works with internally). */
export type RedisClient = Redis | Cluster;

/**
 * What the store needs to recognise an ioredis client, `Redis` or `Cluster` of any copy of ioredis.
 * Declared here so the options do not tie your code to ioredis' types; any ioredis client fits.
 */
export interface RedisClientLike {
  /** Registers a Lua script as a command (the store's atomic operations). */
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): unknown;
  sendCommand(...args: never[]): unknown;
  /** `wait`, `connecting`, `ready`, `end`, ... */
  readonly status: string;
}

/**
 * Whether `value` is an ioredis client (`Redis` or `Cluster`) rather than connection options.
 * Duck-typed on what every ioredis client has: `instanceof Redis` is false for a client of another
 * ioredis copy (two versions in node_modules, a bundled app) and for a `Cluster`, and such a
 * client taken for options would be silently replaced by a new client to 127.0.0.1:6379.
 */
export function isRedisClient(value: unknown): value is RedisClientLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.defineCommand === 'function' && typeof candidate.sendCommand === 'function' && typeof candidate.status === 'string';
}

/**
 * Whether an ioredis client is a `Cluster`: keys then live on several masters by hash slot, and a
 * script may only touch keys of one slot. By shape too (ioredis' `Cluster` sets `isCluster`), for
 * the same reason as `isRedisClient`.
 */
export function isRedisCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}

