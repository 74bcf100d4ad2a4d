import type { ConnectionOptions } from 'node:tls';

/**
 * Connection options of the Redis client the module creates for `store.redis`, passed to ioredis
 * as given (over the store's fail-fast defaults, see `store.commandTimeoutMs`). Declared here so
 * the options do not tie your code to ioredis' types: an ioredis `RedisOptions` object is
 * accepted as it is. For an option not listed, pass your own client instead (`redis: new Redis(...)`).
 * @example { host: 'redis.internal', port: 6380, password: process.env.REDIS_PASSWORD, tls: {} }
 */
export interface RedisConnectionOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 6379 */
  readonly port?: number;
  /** Unix socket path, instead of host and port. */
  readonly path?: string;
  /** IP family, 4 or 6. */
  readonly family?: number;
  /** ACL user (Redis 6+). */
  readonly username?: string;
  /** Password (AUTH). Never logged. */
  readonly password?: string;
  /** Database index. @default 0 */
  readonly db?: number;
  /** TLS options; `{}` connects over TLS with the system's CAs. */
  readonly tls?: ConnectionOptions;
  /** Name shown by `CLIENT LIST`. */
  readonly connectionName?: string;
  /** Longest wait for the connection, in milliseconds. */
  readonly connectTimeout?: number;
  /** Longest wait for one command, in milliseconds (the store sets it from `store.commandTimeoutMs`). */
  readonly commandTimeout?: number;
  /** Idle time after which the socket is considered dead, in milliseconds. */
  readonly socketTimeout?: number;
  /** Initial delay of TCP keep-alive probes, in milliseconds. */
  readonly keepAlive?: number;
  /** Disable Nagle's algorithm. */
  readonly noDelay?: boolean;
  /** Send commands of one tick in one round trip. */
  readonly enableAutoPipelining?: boolean;
  /** Retries of one command after a reconnection (`null`: until it succeeds). */
  readonly maxRetriesPerRequest?: number | null;
  /** Delay before reconnecting, by attempt; nothing (or `null`) stops reconnecting. */
  readonly retryStrategy?: ((times: number) => number | void | null) | null;
  /** Whether to reconnect on a given error reply (e.g. `READONLY` after a failover). */
  readonly reconnectOnError?: ((error: Error) => boolean | 1 | 2) | null;
  /** Queue commands while disconnected (the store turns it off, to fail fast). */
  readonly enableOfflineQueue?: boolean;
  /** Connect on the first command instead of at once. */
  readonly lazyConnect?: boolean;
  /** Delay before closing a disconnected socket, in milliseconds. */
  readonly disconnectTimeout?: number;
  /** Sentinels to ask for the master named `name`. */
  readonly sentinels?: readonly { readonly host?: string; readonly port?: number; readonly family?: number }[];
  /** Master group name, with `sentinels`. */
  readonly name?: string;
  /** Connect to the master (default) or a replica, with `sentinels`. */
  readonly role?: 'master' | 'slave';
  /** Sentinel ACL user. */
  readonly sentinelUsername?: string;
  /** Sentinel password. Never logged. */
  readonly sentinelPassword?: string;
  /** TLS to the sentinels too. */
  readonly enableTLSForSentinelMode?: boolean;
  /** TLS options of the sentinel connections. */
  readonly sentinelTLS?: ConnectionOptions;
}
