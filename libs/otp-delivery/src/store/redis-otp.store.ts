import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConsumeResult, CounterLimit, OtpStore } from './otp-store.interface.js';
import { StoreUnavailableError } from './store-unavailable.error.js';
import { isRedisCluster, type RedisClient } from './redis-client-shape.js';
import { consumePerCounter, definePerCounterScripts } from './per-counter-consume.js';
import { evictingPolicy } from './redis-eviction-policy.js';
import { OtpLogger } from '../logging/otp-logger.js';

/**
 * Checks every counter, then increments all of them, in one script: Redis runs a script
 * without interleaving, so two replicas can never both take the last unit of a limit. Single
 * node only: the counters sit in different hash slots, which a cluster refuses in one script
 * (CROSSSLOT); there `consumePerCounter` runs instead.
 * KEYS: the counters. ARGV: limit and window (ms) of each counter, in KEYS order.
 * Answers {0, 0} when allowed, else {index of the exceeded counter (1-based), its PTTL}.
 */
const CONSUME_SCRIPT = `
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key) or '0')
  if current >= tonumber(ARGV[i * 2 - 1]) then
    return {i, redis.call('PTTL', key)}
  end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then
    redis.call('PEXPIRE', key, ARGV[i * 2])
  end
end
return {0, 0}
`;

/**
 * SET NX of a claim, then, only when the claim was stored and no mark is held, CONSUME_SCRIPT over
 * the counters: a send's idempotency claim, the ended-enrolment mark and its limits in one script,
 * so one round trip. Single node only, as CONSUME_SCRIPT. KEYS: the claim, then ARGV[3] marks
 * (none or one), then the counters. ARGV: the claim's value and TTL (ms), the number of marks, then
 * limit and window (ms) of each counter, in KEYS order. A refusal (a mark held, a counter at its
 * limit) marks the claim's value (`refusedClaim`: the same `#refused` suffix), so
 * ABANDON_CLAIM_SCRIPT can tell nothing was counted.
 * Answers {-1, 0} when the claim existed (nothing counted, no mark looked at), {-2, the mark's PTTL}
 * when a mark is held, else what CONSUME_SCRIPT answers (counters numbered from 1).
 */
const CLAIM_AND_CONSUME_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {-1, 0}
end
local marks = tonumber(ARGV[3])
for i = 2, marks + 1 do
  local left = redis.call('PTTL', KEYS[i])
  if left ~= -2 then
    redis.call('SET', KEYS[1], ARGV[1] .. '#refused', 'PX', ARGV[2])
    return {-2, left}
  end
end
local first = marks + 2
for i = first, #KEYS do
  local n = i - first + 1
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if current >= tonumber(ARGV[2 + n * 2]) then
    redis.call('SET', KEYS[1], ARGV[1] .. '#refused', 'PX', ARGV[2])
    return {n, redis.call('PTTL', KEYS[i])}
  end
end
for i = first, #KEYS do
  local n = i - first + 1
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[3 + n * 2])
  end
end
return {0, 0}
`;

/**
 * Undoes a CLAIM_AND_CONSUME_SCRIPT whose answer was lost: while the claim holds its value, the
 * claim goes and each counter gives its unit back (a counter back at zero is deleted, so the next
 * hit starts its window), but only a counter whose window is at least as old as the claim: one
 * that began since (the claim's window ended while the undo was retried) holds a later window's
 * units, not the claim's. The claim is never renewed once its step failed, so its age is its TTL
 * minus what is left, and a counter's likewise (a millisecond apart at most when they were written
 * together: before Redis 7 a script's clock is not frozen). While the claim holds the refusal's value, only the
 * claim goes (nothing was counted). Anything else (another claim, a stored outcome, nothing) is
 * left alone. KEYS: the claim, then the counters. ARGV: the claim's value and TTL (ms), then the
 * window (ms) of each counter, in KEYS order.
 */
const ABANDON_CLAIM_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then
  local claimAge = tonumber(ARGV[2]) - redis.call('PTTL', KEYS[1])
  redis.call('DEL', KEYS[1])
  for i = 2, #KEYS do
    local left = redis.call('PTTL', KEYS[i])
    if left > 0 and tonumber(ARGV[i + 1]) - left >= claimAge - 1 then
      if redis.call('DECR', KEYS[i]) <= 0 then
        redis.call('DEL', KEYS[i])
      end
    end
  end
  return 1
end
if held == ARGV[1] .. '#refused' then
  redis.call('DEL', KEYS[1])
  return 2
end
return 0
`;

/** INCR that starts the expiry window on the first hit, atomically. */
const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
`;

/** PEXPIRE only while the key holds ARGV[1]: a lease renewed by its owner alone. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** DEL only while the key holds ARGV[1]: an owner releases its own lease, never another's. */
const DELETE_IF_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

type ScriptedRedis = RedisClient & {
  otpConsume(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<[number, number]>;
  otpClaimAndConsume(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<[number, number]>;
  otpAbandonClaim(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  otpIncrement(key: string, ttlMs: number): Promise<number>;
  otpRenew(key: string, value: string, ttlMs: number): Promise<number>;
  otpDeleteIf(key: string, value: string): Promise<number>;
};

/** How `RedisOtpStore` treats its client. */
export interface RedisOtpStoreOptions {
  /** Prefix of every key. @default 'otp:' */
  keyPrefix?: string;
  /** True when the store created the client and must quit it on shutdown. @default false */
  ownsClient?: boolean;
  /** Bound on the first connection attempt made on first use. @default 500 */
  connectTimeoutMs?: number;
  /** Told of every failed command (by operation), e.g. to count store errors in the metrics. */
  onUnavailable?: (operation: string) => void;
}

/**
 * Shared state in Redis (ioredis 6), for several replicas. Keys are namespaced with `keyPrefix`,
 * TTLs are in milliseconds, multi-step operations are Lua scripts. Every failure (down,
 * unreachable, too slow) surfaces as `StoreUnavailableError`; the client should be created with
 * `enableOfflineQueue: false` and a `commandTimeout` (as `createRedisClient` does) so that happens
 * fast instead of queueing.
 *
 * Runs on one Redis (also behind Sentinel) and on a Redis Cluster (an ioredis `Cluster`, told apart
 * by its shape). Every operation but `consume` touches one key, so one slot. `consume` is one
 * script over all counters on a single node, and one script per counter on a cluster
 * (`consumePerCounter`, Redis 7 or later): the limits stay exact per counter there too.
 */
export class RedisOtpStore implements OtpStore, OnModuleInit, OnApplicationShutdown {
  private readonly redis: ScriptedRedis;
  private readonly prefix: string;
  /** Whether keys of one operation may sit on different masters (a Redis Cluster). */
  private readonly cluster: boolean;
  private firstConnect?: Promise<void>;
  private readonly logger = new OtpLogger('RedisOtpStore');

  constructor(
    redis: RedisClient,
    private readonly options: RedisOtpStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'otp:';
    // defineCommand is idempotent per name, so a client shared by two stores is fine.
    redis.defineCommand('otpConsume', { lua: CONSUME_SCRIPT });
    redis.defineCommand('otpClaimAndConsume', { lua: CLAIM_AND_CONSUME_SCRIPT });
    redis.defineCommand('otpAbandonClaim', { lua: ABANDON_CLAIM_SCRIPT });
    redis.defineCommand('otpIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    redis.defineCommand('otpRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    redis.defineCommand('otpDeleteIf', { numberOfKeys: 1, lua: DELETE_IF_SCRIPT });
    definePerCounterScripts(redis);
    this.redis = redis as ScriptedRedis;
    this.cluster = isRedisCluster(redis);
  }

  /** The underlying client, e.g. to share it with other features of the app. */
  get client(): RedisClient {
    return this.redis;
  }

  /** {@inheritDoc OtpStore.consume} */
  async consume(limits: readonly CounterLimit[]): Promise<ConsumeResult> {
    if (limits.length === 0) return { allowed: true };
    const keys = limits.map((limit) => this.key(limit.key));
    const [index, pttl] = await this.run('consume', () =>
      this.cluster
        ? consumePerCounter(this.redis, limits.map((limit, i) => ({ key: keys[i]!, limit: limit.limit, windowMs: ttl(limit.windowMs) })))
        : this.redis.otpConsume(keys.length, ...keys, ...limits.flatMap((limit) => [limit.limit, ttl(limit.windowMs)])),
    );
    return consumeResult(limits, index, pttl);
  }

  /**
   * {@inheritDoc OtpStore.claimAndConsume}
   * One script on a single node; on a cluster (claim and counters in different slots) the claim,
   * then `consume`.
   */
  async claimAndConsume(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[]): Promise<ConsumeResult | null> {
    return this.claimThenConsume(key, value, ttlMs, limits);
  }

  /**
   * {@inheritDoc OtpStore.claimAndConsumeUnless}
   * One script on a single node. On a cluster the claim and a read of the mark (different slots)
   * are sent at once, one round trip to up to two masters, then `consume`: as many round trips as
   * `claimAndConsume` there. The claim a mark refused keeps its value there (a cluster's
   * `abandonClaim` deletes the claim alone, so it gives nothing back either way).
   */
  async claimAndConsumeUnless(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[], markKey: string): Promise<ConsumeResult | null> {
    return this.claimThenConsume(key, value, ttlMs, limits, markKey);
  }

  private async claimThenConsume(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[], markKey?: string): Promise<ConsumeResult | null> {
    if (this.cluster) {
      const [claimed, markLeft] = await Promise.allSettled([
        this.setIfAbsent(key, value, ttlMs),
        markKey === undefined ? Promise.resolve(-2) : this.run('claimAndConsumeUnless', () => this.redis.pttl(this.key(markKey))),
      ]);
      if (claimed.status === 'rejected') throw claimed.reason;
      if (!claimed.value) return null;
      // The claim was stored: the step as a whole reached Redis, whatever the mark's read or the counters did.
      const sentAll = (error: unknown) =>
        error instanceof StoreUnavailableError && !error.sent ? new StoreUnavailableError('claimAndConsume', { cause: error, sent: true }) : error;
      if (markLeft.status === 'rejected') throw sentAll(markLeft.reason);
      if (markLeft.value !== -2) return { allowed: false, exceededKey: markKey, retryAfterMs: Math.max(0, markLeft.value) };
      try {
        return await this.consume(limits);
      } catch (error) {
        throw sentAll(error);
      }
    }
    const keys = limits.map((limit) => this.key(limit.key));
    const marks = markKey === undefined ? [] : [this.key(markKey)];
    const [index, pttl] = await this.run(markKey === undefined ? 'claimAndConsume' : 'claimAndConsumeUnless', () =>
      this.redis.otpClaimAndConsume(
        1 + marks.length + keys.length,
        this.key(key),
        ...marks,
        ...keys,
        value,
        ttl(ttlMs),
        marks.length,
        ...limits.flatMap((limit) => [limit.limit, ttl(limit.windowMs)]),
      ),
    );
    if (index === -1) return null;
    // PTTL is -1 only for a mark somebody wrote without expiry.
    if (index === -2) return { allowed: false, exceededKey: markKey, retryAfterMs: Math.max(0, pttl) };
    return consumeResult(limits, index, pttl);
  }

  /**
   * {@inheritDoc OtpStore.abandonClaim}
   * One script on a single node. On a cluster the claim only: a `consume` that failed there gave
   * back the units whose answers came, and one whose answer was lost stays counted (the safe side).
   */
  async abandonClaim(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[]): Promise<void> {
    if (this.cluster) {
      await this.deleteIf(key, value);
      return;
    }
    const keys = limits.map((limit) => this.key(limit.key));
    const windows = limits.map((limit) => ttl(limit.windowMs));
    await this.run('abandonClaim', () => this.redis.otpAbandonClaim(1 + keys.length, this.key(key), ...keys, value, ttl(ttlMs), ...windows));
  }

  /** {@inheritDoc OtpStore.setIfAbsent} */
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const answer = await this.run('setIfAbsent', () => this.redis.set(this.key(key), value, 'PX', ttl(ttlMs), 'NX'));
    return answer === 'OK';
  }

  /** {@inheritDoc OtpStore.get} */
  async get(key: string): Promise<string | null> {
    return this.run('get', () => this.redis.get(this.key(key)));
  }

  /** {@inheritDoc OtpStore.set} */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run('set', () => this.redis.set(this.key(key), value, 'PX', ttl(ttlMs)));
  }

  /** {@inheritDoc OtpStore.take} */
  async take(key: string): Promise<string | null> {
    return this.run('take', () => this.redis.getdel(this.key(key)));
  }

  /** {@inheritDoc OtpStore.increment} */
  async increment(key: string, ttlMs: number): Promise<number> {
    return this.run('increment', () => this.redis.otpIncrement(this.key(key), ttl(ttlMs)));
  }

  /** {@inheritDoc OtpStore.delete} */
  async delete(key: string): Promise<boolean> {
    return (await this.run('delete', () => this.redis.del(this.key(key)))) > 0;
  }

  /** {@inheritDoc OtpStore.renew} */
  async renew(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run('renew', () => this.redis.otpRenew(this.key(key), value, ttl(ttlMs)))) === 1;
  }

  /** {@inheritDoc OtpStore.deleteIf} */
  async deleteIf(key: string, value: string): Promise<boolean> {
    return (await this.run('deleteIf', () => this.redis.otpDeleteIf(this.key(key), value))) === 1;
  }

  /**
   * {@inheritDoc OtpStore.ping}
   * A write, not `PING`: a Redis out of memory under `noeviction`, or a read-only replica after a
   * failover, answers `PING` while refusing every claim the module makes.
   */
  async ping(): Promise<void> {
    await this.run('ping', () => this.redis.set(this.key('health'), String(Date.now()), 'PX', HEALTH_KEY_TTL_MS));
  }

  /**
   * Starts connecting at boot so the first request does not pay for it, then warns when Redis may
   * evict the module's keys. Not awaited: a Redis that is down at boot must not stop the app (sends
   * then follow `store.failMode`).
   */
  onModuleInit(): void {
    void this.warnOfEviction();
  }

  /** Quits the client when the store created it; an app-provided client is the app's to close. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.options.ownsClient || this.redis.status === 'end') return;
    try {
      await this.redis.quit();
    } catch {
      // Quit fails when the connection is already gone; there is nothing left to release then.
      this.redis.disconnect();
    }
  }

  /**
   * Idempotency records and limit counters that Redis evicts are sends made twice and limits started
   * over, silently: say so once at boot. Best effort: a Redis that refuses `INFO` (an ACL) is not asked again.
   */
  private async warnOfEviction(): Promise<void> {
    try {
      await this.connectOnFirstUse();
      // Not through `run`: a Redis down at boot is no failed command of a send.
      if (this.redis.status !== 'ready') return;
      const info = await this.redis.info('memory');
      const policy = evictingPolicy(info);
      if (policy) {
        this.logger.warn(
          `Redis may evict the module's keys (maxmemory-policy ${policy}): an evicted idempotency record lets a repeat send again, an evicted counter starts its limit over. Set maxmemory-policy noeviction on the module's Redis.`,
        );
      }
    } catch {
      // Down or not allowed: the sends say what they need to (failMode), health says the rest.
    }
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  /** Runs one command; any failure becomes `StoreUnavailableError` (cause kept for debugging). */
  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      const connecting = this.connectOnFirstUse();
      // Only the first commands wait for the connection; the others go out in this tick.
      if (connecting) await connecting;
      return await command();
    } catch (error) {
      // The caller's mistake, not the store's: no outage to count or to answer with failMode.
      if (error instanceof InvalidTtlError) throw error;
      this.options.onUnavailable?.(operation);
      if (error instanceof StoreUnavailableError) throw error;
      const message = error instanceof Error ? error.message : '';
      // Redis at maxmemory under noeviction answers, and refuses every write before running it (a
      // script at its first write): full, nothing written.
      const full = OUT_OF_MEMORY.test(message);
      throw new StoreUnavailableError(operation, { cause: error, sent: !full && !NOT_SENT.test(message), full });
    }
  }

  /**
   * A lazily connecting client with no offline queue would refuse the very first commands while
   * it connects; they wait for that first connection instead (bounded). Later reconnections are
   * not waited for: commands then fail at once, which is the point of failing fast.
   */
  private connectOnFirstUse(): Promise<void> | void {
    if (this.redis.status === 'wait') {
      this.firstConnect ??= this.redis.connect().catch(() => undefined);
    }
    if (!this.firstConnect || this.redis.status === 'ready') return;
    const bound = this.options.connectTimeoutMs ?? 500;
    return Promise.race([this.firstConnect, new Promise<void>((resolve) => setTimeout(resolve, bound).unref())]);
  }
}

/**
 * ioredis's refusal of a command it never sent: disconnected with no offline queue
 * (`enableOfflineQueue: false`). Any other failure may have reached Redis.
 */
const NOT_SENT = /Stream isn't writeable/;

/**
 * Redis's refusal of a write while at `maxmemory` with nothing it may evict (`noeviction`): the
 * reply starts with it, or, from a script on Redis before 7, quotes it after `ERR Error running script`.
 */
const OUT_OF_MEMORY = /(?:^|[\s-])OOM command not allowed/;

/** How long the key `ping` writes lives: it is only ever written. */
const HEALTH_KEY_TTL_MS = 60_000;

/** What a consume script's answer (index of the exceeded counter, 1-based, or 0; its PTTL) means. */
function consumeResult(limits: readonly CounterLimit[], index: number, pttl: number): ConsumeResult {
  if (index === 0) return { allowed: true };
  const exceeded = limits[index - 1]!;
  // PTTL is -1 only for a counter somebody wrote without expiry; report the whole window then.
  return { allowed: false, exceededKey: exceeded.key, retryAfterMs: pttl >= 0 ? pttl : exceeded.windowMs };
}

function ttl(ttlMs: number): number {
  // A TTL that is no number would fail PEXPIRE inside a script after its INCR ran: a key for ever.
  if (!Number.isFinite(ttlMs)) throw new InvalidTtlError();
  // PX refuses 0 and fractions; a sub-millisecond TTL still has to expire.
  return Math.max(1, Math.ceil(ttlMs));
}

/** A TTL that is not a finite number of milliseconds, refused before anything is sent. */
class InvalidTtlError extends RangeError {
  constructor() {
    super('a TTL must be a finite number of milliseconds');
  }
}
