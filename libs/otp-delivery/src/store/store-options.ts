import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidateNested, type ValidationOptions } from 'class-validator';
import type { NatMap } from 'ioredis';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import { isRedisClient, type RedisClientLike } from './redis-client-shape.js';
import { isPlainObject } from '../common/plain-object.js';
import { IsPlainObject } from '../options/is-plain-object.decorator.js';
import type { RedisConnectionOptions } from './redis-connection-options.js';
import { MEMORY_STORE_MAX_ENTRIES } from './memory-otp.store.js';

/** A minute: far beyond any answer a send may wait for, and well inside what a Node timer holds (2^31 - 1 ms). */
const MAX_COMMAND_TIMEOUT_MS = 60_000;
/** Largest `maxEntries`: a Map holds at most 2^24 entries (V8). */
const MAX_MEMORY_ENTRIES = 16_000_000;

/** An ioredis client (any copy, `Redis` or `Cluster`) or a plain object of connection options. */
function IsRedisClientOrOptions(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isRedisClientOrOptions', validator: { validate: (value) => isRedisClient(value) || isPlainObject(value) } }, options);
}

/** One seed node of a Redis Cluster. */
export interface RedisClusterNode {
  /** Host name or IP address of the node. @example '10.0.0.1' */
  readonly host: string;
  /** TCP port of the node, 1 to 65535. @example 6379 */
  readonly port: number;
}

/** A `redis://` / `rediss://` URL with a host, or `{ host, port }` with a TCP port. */
function isClusterNode(value: unknown): boolean {
  if (typeof value === 'string') return /^rediss?:\/\/[^/?#]+/.test(value) && URL.canParse(value);
  if (!isPlainObject(value)) return false;
  const { host, port } = value;
  return typeof host === 'string' && host.trim() !== '' && Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65_535;
}

/** A non-empty list of cluster seed nodes. */
function IsClusterNodes(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isClusterNodes', validator: { validate: (value) => Array.isArray(value) && value.length > 0 && value.every(isClusterNode) } }, options);
}

/** A plain object, or (for `natMap`) a function. */
function IsPlainObjectOrFunction(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isPlainObjectOrFunction', validator: { validate: (value) => isPlainObject(value) || typeof value === 'function' } }, options);
}


/**
 * A Redis Cluster the module connects to itself, with fail-fast settings (no offline queue, the
 * command timeout on every node). To tune anything else, pass your own `Cluster` as `store.redis`.
 */
export class StoreClusterOptions {
  /**
   * Some masters of the cluster (one is enough; the rest are discovered): `redis://` or
   * `rediss://` URLs, or `{ host, port }`. A password in a URL is never logged.
   * @example ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']
   */
  @IsClusterNodes({ message: 'nodes must be a non-empty list of redis:// or rediss:// URLs or { host, port } objects' })
  @KeepAsIs()
  nodes!: Array<string | RedisClusterNode>;

  /**
   * ioredis' `natMap`: the address to use for each address the cluster announces, when the
   * announced ones are not reachable from the app (NAT, Docker, Kubernetes without host network).
   * @default undefined
   * @example { '10.0.0.1:6379': { host: 'redis-0.example', port: 6379 } }
   */
  @IsOptional()
  @IsPlainObjectOrFunction({ message: 'natMap must be an object mapping host:port to { host, port }, or a function' })
  @KeepAsIs()
  natMap?: NatMap;

  /**
   * ioredis options for every node connection (`password`, `username`, `tls`, ...), over the
   * module's fail-fast ones.
   * @default undefined
   * @example { password: process.env.REDIS_PASSWORD, tls: {} }
   */
  @IsOptional()
  @IsPlainObject({ message: 'redisOptions must be a plain object of ioredis connection options' })
  @KeepAsIs()
  redisOptions?: RedisConnectionOptions;
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
   * Redis connection URL, used when `type` is `redis` and no `redis` client or options are given
   * (set with another `type`, the boot stops). May hold a password: it is never logged.
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
   * A `Cluster` is handled as a cluster (see `cluster`). Only with `type: 'redis'`.
   * @default undefined
   * @example new Redis({ host: 'redis.internal', tls: {} })
   */
  @IsOptional()
  @IsRedisClientOrOptions({ message: 'redis must be an ioredis client (Redis or Cluster) or a plain object of ioredis connection options' })
  @KeepAsIs()
  redis?: RedisClientLike | RedisConnectionOptions;

  /**
   * A Redis Cluster to connect to, when the app has no `Cluster` client of its own to pass as
   * `redis`. Every operation is slot-safe: the rate limits take one script per counter there
   * (Redis 7 or later). Not together with `redis`; takes precedence over `redisUrl`.
   * @default undefined
   * @example { nodes: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'], redisOptions: { password: process.env.REDIS_PASSWORD } }
   */
  @IsOptional()
  @IsObject({ message: 'cluster must be an object: { nodes: [...] }' })
  @ValidateNested()
  @Type(() => StoreClusterOptions)
  cluster?: StoreClusterOptions;

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
   * logs a warning. Health reports the mode either way. It applies to `OtpDeliveryService.deliver`:
   * the tokenization callbacks answer 921 in both modes, as their idempotency record (the one
   * guard against sending twice) needs the store.
   * @default 'closed'
   * @example 'open'
   */
  @IsOptional()
  @IsIn(['closed', 'open'])
  failMode?: 'closed' | 'open';

  /**
   * Longest wait for one Redis command, in milliseconds; a slower or unreachable Redis fails
   * with `StoreUnavailableError` instead of holding the request. At most 60000, and with the Redis
   * store below `delivery.deadlineMs` (a send waits for the store within the deadline) and, with the
   * classic or D1 callbacks mounted, at most a third of their idempotency lease (`delivery.deadlineMs`
   * + 2000: a renewal, due every third of it, must settle before the next one). Left unset, the
   * default is lowered to fit those bounds.
   * @default 500
   * @example 250
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_COMMAND_TIMEOUT_MS, { message: `commandTimeoutMs must be at most ${MAX_COMMAND_TIMEOUT_MS}` })
  commandTimeoutMs?: number;

  /**
   * Most entries the memory store holds (idempotency records, limit counters, status-report keys,
   * local OTP sessions), about 350 bytes of heap each, so no caller can grow the process without
   * bound. At the cap, expired entries are swept first; a write that would still add a key is refused
   * (nothing written, never an unexpired entry evicted, which would let a repeat send again or start a
   * limit over): callbacks and status reports answer 921 and are retried, a send whose counters are
   * not all held already is refused (`store-unavailable`) whatever `failMode` says, and the store's
   * health check is down. Size it to the heap: the default holds about 350 MiB at the cap. Only with
   * `type: 'memory'`; with Redis, size its `maxmemory` instead (`noeviction`): a Redis answering `OOM`
   * refuses every write, so every send (README, "Several replicas").
   * @default 1000000
   * @example 250000
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MEMORY_ENTRIES, { message: `maxEntries must be at most ${MAX_MEMORY_ENTRIES}` })
  maxEntries?: number;
}

/** Store options with every default applied. */
export interface ResolvedStoreOptions {
  readonly type: 'memory' | 'redis';
  readonly redisUrl: string;
  readonly redis?: RedisClientLike | RedisConnectionOptions;
  readonly cluster?: StoreClusterOptions;
  readonly keyPrefix: string;
  readonly failMode: 'closed' | 'open';
  readonly commandTimeoutMs: number;
  /** Memory store only. */
  readonly maxEntries: number;
}

/** Applies the store defaults. */
export function resolveStoreOptions(options: StoreOptions | undefined): ResolvedStoreOptions {
  return {
    type: options?.type ?? 'memory',
    redisUrl: options?.redisUrl ?? 'redis://127.0.0.1:6379',
    redis: options?.redis,
    cluster: options?.cluster,
    keyPrefix: options?.keyPrefix ?? 'otp:',
    failMode: options?.failMode ?? 'closed',
    commandTimeoutMs: options?.commandTimeoutMs ?? 500,
    maxEntries: options?.maxEntries ?? MEMORY_STORE_MAX_ENTRIES,
  };
}

/** Options that only the Redis store reads: with the memory store they would be ignored, silently. */
const REDIS_ONLY_OPTIONS = ['cluster', 'redis', 'redisUrl'] as const;

/** What the store options get wrong together, one problem per pair (class-validator checks each key alone). */
export function storeOptionProblems(options: StoreOptions | undefined): string[] {
  const problems: string[] = [];
  if (options?.cluster !== undefined && options.redis !== undefined) {
    problems.push('store.cluster and store.redis are both set: pass the Cluster client as store.redis, or the nodes as store.cluster');
  }
  if (options?.type !== 'redis') {
    for (const name of REDIS_ONLY_OPTIONS.filter((key) => options?.[key] !== undefined)) {
      problems.push(`store.${name} is set but store.type is not 'redis': the store would stay in memory`);
    }
  } else if (options.maxEntries !== undefined) {
    problems.push("store.maxEntries applies to the memory store only: with store.type 'redis', size Redis' maxmemory (noeviction)");
  }
  return problems;
}

/** The deadlines a Redis command's wait must fit in. */
export interface StoreTimingContext {
  /** `delivery.deadlineMs`. */
  readonly deliveryDeadlineMs: number;
  /** The tokenization callbacks' idempotency lease, renewed every third of it; undefined when no callback that holds one is mounted. */
  readonly idempotencyLeaseMs?: number;
}

/**
 * `commandTimeoutMs` fitted to the deadlines that wait for the store. A send waits for its limits
 * within the delivery deadline: a slower command would end the delivery as a timeout, never as
 * `StoreUnavailableError` (which `failMode` decides on). A lease is renewed every third of it: a
 * renewal that outlasts that overlaps the next one and can let the lease lapse while its owner works.
 * A value the issuer set that does not fit is a problem; the default is lowered to fit.
 */
export function fitCommandTimeout(store: ResolvedStoreOptions, given: number | undefined, timing: StoreTimingContext): { store: ResolvedStoreOptions; problems: string[] } {
  if (store.type !== 'redis') return { store, problems: [] };
  const leaseBound = timing.idempotencyLeaseMs === undefined ? Infinity : Math.floor(timing.idempotencyLeaseMs / 3);
  const max = Math.max(1, Math.min(timing.deliveryDeadlineMs - 1, leaseBound));
  if (store.commandTimeoutMs <= max) return { store, problems: [] };
  if (given === undefined) return { store: { ...store, commandTimeoutMs: max }, problems: [] };
  const lease = timing.idempotencyLeaseMs === undefined ? '' : ', and at most a third of the idempotency lease (delivery.deadlineMs + 2000), the interval it is renewed at';
  return { store, problems: [`store.commandTimeoutMs must be at most ${max} with delivery.deadlineMs ${timing.deliveryDeadlineMs}: below the delivery deadline${lease}`] };
}
