import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumeResult, CounterLimit, OtpStore } from './otp-store.interface.js';
import { refusedClaim } from './refused-claim.js';

interface Entry {
  value: string;
  /** Epoch milliseconds after which the entry is gone. */
  expiresAt: number;
}

/** How often expired entries are swept, so keys never read again do not pile up. */
const SWEEP_INTERVAL_MS = 30_000;
/**
 * Entries the timer's sweep looks at per turn of the event loop. A store holds ten minutes of
 * callback outcomes: at 4,000 sends per second, 2.4 million entries, which one synchronous pass held
 * the event loop for about 90 ms every 30 s (11 ms per 300,000 measured). A slice takes 0.3 ms.
 */
const SWEEP_SLICE = 2_000;

/**
 * The default store: state in this process only. Right for one replica, tests and a laptop;
 * with several replicas use `RedisOtpStore`, or limits apply per replica.
 *
 * Every operation runs synchronously inside one tick, which is what makes `consume` atomic
 * here: no other request can interleave between the checks and the increments.
 */
@Injectable()
export class MemoryOtpStore implements OtpStore, OnApplicationShutdown {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  /** Where the timer's sweep goes on from, between slices; undefined between sweeps. */
  private sweeping?: MapIterator<[string, Entry]>;
  private nextSlice?: ReturnType<typeof setImmediate>;

  private readonly now = Date.now;

  constructor() {
    this.sweeper = setInterval(() => this.sweepInSlices(), SWEEP_INTERVAL_MS);
    // The sweep is housekeeping only: it must never keep a process (or a Jest worker) alive.
    this.sweeper.unref();
  }

  /** {@inheritDoc OtpStore.consume} */
  async consume(limits: readonly CounterLimit[]): Promise<ConsumeResult> {
    return this.consumeAt(limits, this.now());
  }

  /** `consume` at `now`: a claim and its counters are stamped with one instant (`abandonClaim` compares their ages). */
  private consumeAt(limits: readonly CounterLimit[], now: number): ConsumeResult {
    // Each counter is looked up once: the entries found are counted without a second lookup.
    const found: (Entry | undefined)[] = [];
    for (const { key, limit } of limits) {
      const entry = this.live(key, now);
      if (entry && Number(entry.value) >= limit) {
        return { allowed: false, exceededKey: key, retryAfterMs: entry.expiresAt - now };
      }
      found.push(entry);
    }
    limits.forEach(({ key, windowMs }, index) => {
      const entry = found[index];
      if (entry) entry.value = String(Number(entry.value) + 1);
      else this.bump(key, windowMs, now);
    });
    return { allowed: true };
  }

  /** {@inheritDoc OtpStore.claimAndConsume} */
  async claimAndConsume(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[]): Promise<ConsumeResult | null> {
    const now = this.now();
    if (this.live(key, now)) return null;
    const claim = { value, expiresAt: expiryAt(now, ttlMs) };
    this.entries.set(key, claim);
    const result = this.consumeAt(limits, now);
    if (!result.allowed) claim.value = refusedClaim(value);
    return result;
  }

  /** {@inheritDoc OtpStore.abandonClaim} */
  async abandonClaim(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[]): Promise<void> {
    const now = this.now();
    const claim = this.live(key, now);
    if (claim?.value !== value && claim?.value !== refusedClaim(value)) return;
    this.entries.delete(key);
    if (claim.value !== value) return;
    const claimAge = ttlMs - (claim.expiresAt - now);
    for (const { key: counterKey, windowMs } of limits) {
      const counter = this.live(counterKey, now);
      // A window begun since the claim holds a later window's units, not the claim's.
      if (!counter || windowMs - (counter.expiresAt - now) < claimAge) continue;
      const left = Number(counter.value) - 1;
      if (left > 0) counter.value = String(left);
      else this.entries.delete(counterKey);
    }
  }

  /** {@inheritDoc OtpStore.setIfAbsent} */
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    if (this.live(key, now)) return false;
    this.entries.set(key, { value, expiresAt: expiryAt(now, ttlMs) });
    return true;
  }

  /** {@inheritDoc OtpStore.get} */
  async get(key: string): Promise<string | null> {
    return this.live(key, this.now())?.value ?? null;
  }

  /** {@inheritDoc OtpStore.set} */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: expiryAt(this.now(), ttlMs) });
  }

  /** {@inheritDoc OtpStore.take} */
  async take(key: string): Promise<string | null> {
    const entry = this.live(key, this.now());
    if (!entry) return null;
    this.entries.delete(key);
    return entry.value;
  }

  /** {@inheritDoc OtpStore.increment} */
  async increment(key: string, ttlMs: number): Promise<number> {
    return this.bump(key, ttlMs, this.now());
  }

  /** {@inheritDoc OtpStore.delete} */
  async delete(key: string): Promise<boolean> {
    const existed = this.live(key, this.now()) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  /** {@inheritDoc OtpStore.renew} */
  async renew(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const entry = this.live(key, now);
    if (entry?.value !== value) return false;
    entry.expiresAt = expiryAt(now, ttlMs);
    return true;
  }

  /** {@inheritDoc OtpStore.deleteIf} */
  async deleteIf(key: string, value: string): Promise<boolean> {
    if (this.live(key, this.now())?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  /** {@inheritDoc OtpStore.ping} */
  async ping(): Promise<void> {}

  /** Stops the sweep timer. */
  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    clearImmediate(this.nextSlice);
    this.sweeping = undefined;
  }

  /** Removes every expired entry now, in one pass (tests; the timer sweeps in slices). */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  /**
   * @internal The timer's sweep: `SWEEP_SLICE` entries per turn of the event loop, the rest on the
   * next turns, so requests keep being served while a large store is swept. A sweep still under
   * way when the timer fires again goes on; it does not start over.
   */
  sweepInSlices(): void {
    if (this.sweeping) return;
    this.sweeping = this.entries.entries();
    this.sweepSlice();
  }

  private sweepSlice(): void {
    const sweeping = this.sweeping;
    if (!sweeping) return;
    const now = this.now();
    for (let looked = 0; looked < SWEEP_SLICE; looked += 1) {
      const next = sweeping.next();
      if (next.done) {
        this.sweeping = undefined;
        return;
      }
      // Deleting the entry just visited is safe: a Map iterator goes on past deletions.
      if (next.value[1].expiresAt <= now) this.entries.delete(next.value[0]);
    }
    this.nextSlice = setImmediate(() => this.sweepSlice());
    // Housekeeping never keeps a process alive.
    this.nextSlice.unref();
  }

  /** Number of entries held, expired ones included until swept. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry if present and not expired; an expired one is dropped on the way (lazy expiry). */
  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Same semantics as Redis INCR + PEXPIRE on the first hit: the window starts with the first hit. */
  private bump(key: string, ttlMs: number, now: number): number {
    const entry = this.live(key, now);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: expiryAt(now, ttlMs) });
      return 1;
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return count;
  }
}

/**
 * When an entry written now with `ttlMs` expires. A TTL that is not a number (NaN, from a caller's
 * arithmetic on a bad value) would make an entry no sweep ever removes: refused, as Redis refuses it.
 */
function expiryAt(now: number, ttlMs: number): number {
  if (!Number.isFinite(ttlMs)) throw new RangeError('a TTL must be a finite number of milliseconds');
  return now + ttlMs;
}
