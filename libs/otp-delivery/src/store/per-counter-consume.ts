import type { RedisClient } from './redis-client-shape.js';

/**
 * Takes one unit of one counter if it is under its limit, in one script (one key, so one slot).
 * KEYS: the counter. ARGV: its limit and window (ms).
 * Answers {1, the counter's PEXPIRETIME} when a unit was taken (the absolute end of the window it
 * was taken in, which identifies that window for a refund), else {0, its PTTL}. PEXPIRETIME
 * (Redis 7) comes first, so a Redis without it fails the script before anything is written.
 */
const TAKE_UNIT_SCRIPT = `
local windowEnd = redis.call('PEXPIRETIME', KEYS[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
  return {0, redis.call('PTTL', KEYS[1])}
end
if redis.call('INCR', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  windowEnd = redis.call('PEXPIRETIME', KEYS[1])
end
return {1, windowEnd}
`;

/**
 * Gives back a unit taken by TAKE_UNIT_SCRIPT, only in the window it was taken in: when the
 * counter expired meanwhile and a new window began, decrementing would hand that window one unit
 * more than its limit. A counter back at zero is deleted, so the next hit starts its window, as if
 * the refused attempt had never counted. KEYS: the counter. ARGV: the PEXPIRETIME the take answered.
 */
const REFUND_UNIT_SCRIPT = `
if redis.call('PEXPIRETIME', KEYS[1]) ~= tonumber(ARGV[1]) then
  return 0
end
if redis.call('DECR', KEYS[1]) <= 0 then
  redis.call('DEL', KEYS[1])
end
return 1
`;

type PerCounterScripts = RedisClient & {
  otpTakeUnit(key: string, limit: number, windowMs: number): Promise<[0 | 1, number]>;
  otpRefundUnit(key: string, windowEnd: number): Promise<number>;
};

/** Registers the per-counter scripts on a client (idempotent per name). */
export function definePerCounterScripts(client: RedisClient): void {
  client.defineCommand('otpTakeUnit', { numberOfKeys: 1, lua: TAKE_UNIT_SCRIPT });
  client.defineCommand('otpRefundUnit', { numberOfKeys: 1, lua: REFUND_UNIT_SCRIPT });
}

/** A counter of a consume, its key already namespaced. */
export interface PrefixedCounter {
  readonly key: string;
  readonly limit: number;
  /** Whole milliseconds, at least 1. */
  readonly windowMs: number;
}

/**
 * `consume` for a Redis Cluster, where the counters (per card, per destination, per caller) sit
 * in different hash slots, often on different masters, and no one script may touch them all.
 * Each counter takes its unit in a script of its own (increment only while under the limit), all
 * sent at once; when any refuses, the units the others took are given back before answering. So:
 *
 * - a counter never exceeds its limit, whatever the concurrency: each take is atomic on its key;
 * - a refused attempt counts nowhere once `consume` has answered;
 * - while a refund is pending (between the takes and the refund, one round trip), another attempt
 *   may see that unit taken and be refused although it fits: a transient false refusal, only on a
 *   counter at its limit minus the pending units, never a send over the limit;
 * - a refund that cannot reach its master (down, timed out) leaves the unit counted until the
 *   window ends: the counter errs on the safe side.
 *
 * Answers like the single-node script: [0, 0] when allowed, else [1-based index of the first
 * refusing counter in the given order, its PTTL]. A refusal wins over a failure on another counter
 * (the attempt must not be sent either way, and `failMode: 'open'` must not send it unchecked);
 * with no refusal, the first failure is thrown after the refunds.
 *
 * Multi-key operations that will follow (e.g. an idempotency claim fused with the limits on a
 * single node) take the same route on a cluster: one script per slot, undo on refusal.
 */
export async function consumePerCounter(client: RedisClient, counters: readonly PrefixedCounter[]): Promise<[number, number]> {
  const scripted = client as PerCounterScripts;
  const outcomes = await Promise.allSettled(counters.map((counter) => scripted.otpTakeUnit(counter.key, counter.limit, counter.windowMs)));
  const refused = outcomes.findIndex((outcome) => outcome.status === 'fulfilled' && outcome.value[0] === 0);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (refused === -1 && !failure) return [0, 0];

  const refunds = outcomes.flatMap((outcome, i) =>
    outcome.status === 'fulfilled' && outcome.value[0] === 1 ? [scripted.otpRefundUnit(counters[i]!.key, outcome.value[1])] : [],
  );
  // Best effort: an unrefunded unit only makes its counter stricter until the window ends.
  await Promise.allSettled(refunds);

  if (refused !== -1) return [refused + 1, (outcomes[refused] as PromiseFulfilledResult<[0 | 1, number]>).value[1]];
  throw failure!.reason;
}
