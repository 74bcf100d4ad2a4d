/** One counter of an atomic multi-counter consume: at most `limit` hits per `windowMs`. */
export interface CounterLimit {
  /** Key without the store's namespace prefix, e.g. `rl:card:abc`. */
  readonly key: string;
  /** Most hits allowed within the window. */
  readonly limit: number;
  /** Window length; the counter expires this long after its first hit. */
  readonly windowMs: number;
}

/** What `consume` answers. */
export interface ConsumeResult {
  /** True when every counter was under its limit; then all were incremented. */
  readonly allowed: boolean;
  /** The first counter that was at its limit (nothing was incremented then). */
  readonly exceededKey?: string;
  /** Milliseconds until the exceeded counter's window ends. */
  readonly retryAfterMs?: number;
}

/**
 * Shared state behind idempotency, rate limits, local OTP sessions and delivery state.
 * Every operation is atomic on its own, also across replicas (Redis runs each as one Lua script
 * or one command). Keys are namespaced by the implementation.
 */
export interface OtpStore {
  /** Increments every counter only if none is at its limit, atomically (one round trip). */
  consume(limits: readonly CounterLimit[]): Promise<ConsumeResult>;
  /**
   * Optional: stores `value` under `key` for `ttlMs` only if `key` is absent and, only then, takes
   * `limits` as `consume` does, in one atomic step (one Redis round trip for a send's claim and
   * limits). Answers `null` when `key` existed (nothing stored, nothing counted), else the consume
   * result (the key is stored either way). Without it the module calls `setIfAbsent`, then `consume`.
   */
  claimAndConsume?(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[]): Promise<ConsumeResult | null>;
  /**
   * Optional, with `claimAndConsume`: the same step, unless `markKey` holds a value (the module's
   * mark of an enrolment a `DELETE` ended, on any replica). Answers `null` when `key` existed
   * (nothing stored or counted, the mark not looked at: a repeat still gets its first answer); else,
   * while the mark is held, stores the claim, counts nothing, and answers `{ allowed: false,
   * exceededKey: markKey, retryAfterMs }` (the mark's time left), a claim `abandonClaim` must give
   * nothing back for; else what `claimAndConsume` answers. One atomic step (one Redis round trip).
   * Without it the module reads the mark (`get`) before claiming: one more round trip for each send
   * of an enrolment, and the same outcome.
   */
  claimAndConsumeUnless?(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[], markKey: string): Promise<ConsumeResult | null>;
  /**
   * Optional, with `claimAndConsume`: undoes a `claimAndConsume(key, value, ttlMs, limits)` that
   * failed (a timeout, a dropped connection) and may have run all the same, given the same
   * arguments. While `key` still holds what that step stored, it is deleted and the units that step
   * took are given back: none when it refused, and none to a counter whose window began after the
   * claim (a later window's units). `value` is unique to the claim. The module calls it whenever that step fails,
   * retried in the background until the claim would have expired, so the claim and the units of a
   * send never made do not outlive the 921 the platform retries. Without it the module deletes
   * the claim (`deleteIf`) and the units stay counted until their window ends.
   */
  abandonClaim?(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[]): Promise<void>;
  /** Stores `value` only if `key` is absent; answers whether it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Answers the value, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value`, replacing any previous one. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads and deletes in one step (single use); null when absent. */
  take(key: string): Promise<string | null>;
  /** Increments a counter that expires `ttlMs` after its first increment; answers the new count. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Deletes a key; answers whether it existed. */
  delete(key: string): Promise<boolean>;
  /**
   * Gives `key` a new TTL, only while it still holds `value` (a lease its owner renews); answers
   * whether it did. Compare and expire are one atomic step.
   */
  renew(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` only while it still holds `value` (an owner releasing its own lease); answers whether it did. */
  deleteIf(key: string, value: string): Promise<boolean>;
  /**
   * Resolves when the store can serve the module, writes included (a full or read-only Redis
   * answers but refuses every claim); rejects with the reason otherwise. Health checks call it.
   */
  ping(): Promise<void>;
}

/** DI token of the store. Same name as the contract, as in `@nestjs/throttler`. */
export const OtpStore = Symbol('OtpStore');
