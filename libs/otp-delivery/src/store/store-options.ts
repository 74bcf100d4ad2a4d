import { IsIn, IsInt, IsOptional, IsString, Matches, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import { isPlainObject, isRedisClient, type RedisClientLike } from './redis-client-shape.js';
import type { RedisConnectionOptions } from './redis-connection-options.js';

/** An ioredis client (any copy, `Redis` or `Cluster`) or a plain object of connection options. */
function IsRedisClientOrOptions(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isRedisClientOrOptions', validator: { validate: (value) => isRedisClient(value) || isPlainObject(value) } }, options);
}

/** Where idempotency keys, rate counters, OTP sessions and delivery state live. */
export class StoreOptions {
  /**
   * `memory` keeps state in this process (one replica, tests, a laptop); `redis` shares it
   * between replicas behind a load balancer.
   * @default 'memory'
   * @example 'redis'
   */
  @IsOptional()
  @IsIn(['memory', 'redis'])
  type?: 'memory' | 'redis';

  /**
   * Redis connection URL, used when `type` is `redis` and no `redis` client or options are given.
   * May hold a password: it is never logged.
   * @default 'redis://127.0.0.1:6379'
   * @example process.env.REDIS_URL // 'rediss://:secret@redis.internal:6380/2'
   */
  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'redisUrl must start with redis:// or rediss://' })
  redisUrl?: string;

  /**
   * An existing ioredis client, `Redis` or `Cluster` (shared with the app; the module then leaves
   * its lifecycle to the app), or a plain object of connection options (an ioredis `RedisOptions`
   * object fits; the module creates, owns and quits the client). A client is recognised by its shape, not `instanceof`,
   * so one made by another copy of ioredis is used as given too. Takes precedence over `redisUrl`.
   * A `Cluster` is accepted, but the rate-limit script needs its keys in one slot: full Cluster
   * support is not there yet.
   * @default undefined
   * @example new Redis({ host: 'redis.internal', tls: {} })
   */
  @IsOptional()
  @IsRedisClientOrOptions({ message: 'redis must be an ioredis client (Redis or Cluster) or a plain object of ioredis connection options' })
  @KeepAsIs()
  redis?: RedisClientLike | RedisConnectionOptions;

  /**
   * Prefix of every key the store writes, so several apps can share one Redis database.
   * @default 'otp:'
   * @example 'issuer-a:otp:'
   */
  @IsOptional()
  @IsString()
  keyPrefix?: string;

  /**
   * What sending does while the store is unreachable: `closed` refuses to send (no limits can be
   * checked, so no SMS may cost money unchecked); `open` sends without the shared checks and
   * logs a warning. Health reports the mode either way.
   * @default 'closed'
   * @example 'open'
   */
  @IsOptional()
  @IsIn(['closed', 'open'])
  failMode?: 'closed' | 'open';

  /**
   * Longest wait for one Redis command, in milliseconds; a slower or unreachable Redis fails
   * with `StoreUnavailableError` instead of holding the request.
   * @default 500
   * @example 250
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  commandTimeoutMs?: number;
}

/** Store options with every default applied. */
export interface ResolvedStoreOptions {
  readonly type: 'memory' | 'redis';
  readonly redisUrl: string;
  readonly redis?: RedisClientLike | RedisConnectionOptions;
  readonly keyPrefix: string;
  readonly failMode: 'closed' | 'open';
  readonly commandTimeoutMs: number;
}

/** Applies the store defaults. */
export function resolveStoreOptions(options: StoreOptions | undefined): ResolvedStoreOptions {
  return {
    type: options?.type ?? 'memory',
    redisUrl: options?.redisUrl ?? 'redis://127.0.0.1:6379',
    redis: options?.redis,
    keyPrefix: options?.keyPrefix ?? 'otp:',
    failMode: options?.failMode ?? 'closed',
    commandTimeoutMs: options?.commandTimeoutMs ?? 500,
  };
}
