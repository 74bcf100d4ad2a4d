import { Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumeResult, CounterLimit, OtpStore } from './otp-store.interface.js';
import { refusedClaim } from './refused-claim.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

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
 * Default most entries a memory store holds (`store.maxEntries`): about 350 MiB of heap at the cap
 * (status-report keys measured at ~360 bytes each), far above what one replica's ten minutes of
 * sends write (each send writes its claim, up to three counters and a few status-report keys).
 */
export const MEMORY_STORE_MAX_ENTRIES = 1_000_000;
/** A store at its cap sweeps for expired entries at most this often, so a full store costs a refused write O(1). */
const FULL_SWEEP_GAP_MS = 1_000;

/** Options of `MemoryOtpStore`. */
export interface MemoryOtpStoreOptions {
  /**
   * Most entries held (`store.maxEntries`); see `MemoryOtpStore` for what happens at the cap.
   * @default 1000000
   */
  readonly maxEntries?: number;
}

/**
 * The default store: state in this process only. Right for one replica, tests and a laptop;
 * with several replicas use `RedisOtpStore`, or limits apply per replica.
 *
 * Every operation runs synchronously inside one tick, which is what makes `consume` atomic
 * here: no other request can interleave between the checks and the increments.
 *
 * **Bounded**: it holds at most `maxEntries` entries (`store.maxEntries`, default 1,000,000), so no
 * caller (a flood of status reports, of distinct destinations or client ids) can grow the process
 * without bound. At the cap it behaves as a Redis under `maxmemory-policy noeviction`: expired entries
 * are swept first, and a write that would still add a key is refused with a `StoreUnavailableError`
 * (`full: true`, nothing written), so the callback answers 921 and the platform or CM retries; a
 * send is refused (`store-unavailable`) whatever `store.failMode` says. An unexpired entry is never
 * evicted: an idempotency record dropped early would let a repeat send again, a counter dropped early
 * would start its limit over. Writes to keys already held (a counter's next hit, a renewed lease, a
 * stored outcome) still succeed, and `ping` fails while the store is full, so health shows it.
 */
@Injectable()
export class MemoryOtpStore implements OtpStore, OnApplicationShutdown {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  /** Where the timer's sweep goes on from, between slices; undefined between sweeps. */
  private sweeping?: MapIterator<[string, Entry]>;
  private nextSlice?: ReturnType<typeof setImmediate>;

  private readonly now = Date.now;
  /** Most entries held. */
  readonly maxEntries: number;
  /** No entry expires before this (a lower bound: renewals only push expiries later). */
  private earliestExpiry = Number.POSITIVE_INFINITY;
  /** The earliest expiry among what the sweep under way has kept or seen written. */
  private sweepEarliest = Number.POSITIVE_INFINITY;
  /** When a full store last started a sweep of its own. */
  private lastFullSweep = Number.NEGATIVE_INFINITY;

  // Optional: a subclass registered as a provider (`useClass`) is built by Nest with nothing injected here.
  constructor(@Optional() options?: MemoryOtpStoreOptions) {
    const maxEntries = options?.maxEntries ?? MEMORY_STORE_MAX_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.maxEntries = maxEntries;
    this.sweeper = setInterval(() => this.sweepInSlices(), SWEEP_INTERVAL_MS);
    // The sweep is housekeeping only: it must never keep a process (or a Jest worker) alive.
    this.sweeper.unref();
  }

  /** {@inheritDoc OtpStore.consume} */
  async consume(limits: readonly CounterLimit[]): Promise<ConsumeResult> {
    return this.consumeAt(limits, this.now());
  }

  /** `consume` at `now`: a claim and its counters are stamped with one instant (`abandonClaim` compares their ages). */
  private consumeAt(limits: readonly CounterLimit[], now: number, operation = 'consume', claim?: () => void): ConsumeResult {
    // Each counter is looked up once: the entries found are counted without a second lookup.
    const found: (Entry | undefined)[] = [];
    let added = claim ? 1 : 0;
    let refusal: ConsumeResult | undefined;
    for (const { key, limit } of limits) {
      const entry = this.live(key, now);
      if (entry && Number(entry.value) >= limit) {
        refusal = { allowed: false, exceededKey: key, retryAfterMs: entry.expiresAt - now };
        break;
      }
      if (!entry) added += 1;
      found.push(entry);
    }
    // A refusal adds no counter, only the claim (marked refused), which needs its room too.
    if (refusal) added = claim ? 1 : 0;
    this.ensureRoom(added, now, operation);
    claim?.();
    if (refusal) return refusal;
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
    // The claim is written only once there is room for it and every counter it adds: all or nothing.
    const result = this.consumeAt(limits, now, 'claimAndConsume', () => this.put(key, claim));
    if (!result.allowed) claim.value = refusedClaim(value);
    return result;
  }

  /** {@inheritDoc OtpStore.claimAndConsumeUnless} */
  async claimAndConsumeUnless(key: string, value: string, ttlMs: number, limits: readonly CounterLimit[], markKey: string): Promise<ConsumeResult | null> {
    const now = this.now();
    if (this.live(key, now)) return null;
    const mark = this.live(markKey, now);
    if (!mark) return this.claimAndConsume(key, value, ttlMs, limits);
    const expiresAt = expiryAt(now, ttlMs);
    this.ensureRoom(1, now, 'claimAndConsumeUnless');
    // Marked refused, as a refusal of the limits is: an undo gives nothing back for it.
    this.put(key, { value: refusedClaim(value), expiresAt });
    return { allowed: false, exceededKey: markKey, retryAfterMs: mark.expiresAt - now };
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
    const expiresAt = expiryAt(now, ttlMs);
    this.ensureRoom(1, now, 'setIfAbsent');
    this.put(key, { value, expiresAt });
    return true;
  }

  /** {@inheritDoc OtpStore.get} */
  async get(key: string): Promise<string | null> {
    return this.live(key, this.now())?.value ?? null;
  }

  /** {@inheritDoc OtpStore.set} */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.now();
    const expiresAt = expiryAt(now, ttlMs);
    // Replacing a held key adds nothing: a stored outcome always finds its claim's room.
    if (!this.live(key, now)) this.ensureRoom(1, now, 'set');
    this.put(key, { value, expiresAt });
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
    const now = this.now();
    if (!this.live(key, now)) this.ensureRoom(1, now, 'increment');
    return this.bump(key, ttlMs, now);
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
    this.noteExpiry(entry.expiresAt);
    return true;
  }

  /** {@inheritDoc OtpStore.deleteIf} */
  async deleteIf(key: string, value: string): Promise<boolean> {
    if (this.live(key, this.now())?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  /** {@inheritDoc OtpStore.ping} Fails while the store is full (`maxEntries`) and nothing expired can be swept. */
  async ping(): Promise<void> {
    this.ensureRoom(1, this.now(), 'ping');
  }

  /** Stops the sweep timer. */
  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    clearImmediate(this.nextSlice);
    this.sweeping = undefined;
  }

  /** Removes every expired entry now, in one pass (tests; the timer sweeps in slices). */
  sweep(): void {
    const now = this.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else if (entry.expiresAt < earliest) earliest = entry.expiresAt;
    }
    this.earliestExpiry = earliest;
  }

  /**
   * @internal The timer's sweep: `SWEEP_SLICE` entries per turn of the event loop, the rest on the
   * next turns, so requests keep being served while a large store is swept. A sweep still under
   * way when the timer fires again goes on; it does not start over.
   */
  sweepInSlices(): void {
    if (this.sweeping) return;
    this.sweeping = this.entries.entries();
    this.sweepEarliest = Number.POSITIVE_INFINITY;
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
        // Every entry left was kept by this sweep or written during it: their earliest expiry is exact.
        this.earliestExpiry = this.sweepEarliest;
        return;
      }
      const expiresAt = next.value[1].expiresAt;
      // Deleting the entry just visited is safe: a Map iterator goes on past deletions.
      if (expiresAt <= now) this.entries.delete(next.value[0]);
      else if (expiresAt < this.sweepEarliest) this.sweepEarliest = expiresAt;
    }
    this.nextSlice = setImmediate(() => this.sweepSlice());
    // Housekeeping never keeps a process alive.
    this.nextSlice.unref();
  }

  /** Number of entries held, expired ones included until swept. */
  get size(): number {
    return this.entries.size;
  }

  /** Stores an entry (the only way one is added), keeping the earliest expiry known. */
  private put(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.noteExpiry(entry.expiresAt);
  }

  private noteExpiry(expiresAt: number): void {
    if (expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
    if (expiresAt < this.sweepEarliest) this.sweepEarliest = expiresAt;
  }

  /**
   * Throws, writing nothing, unless `added` more entries fit under `maxEntries`. A full store first
   * sweeps expired entries, only when one may have expired (`earliestExpiry`) and at most once a
   * second; the sweep's first slice runs now, the rest in slices as the timer's. So a refused write
   * costs O(1), never a scan of the store.
   */
  private ensureRoom(added: number, now: number, operation: string): void {
    if (this.entries.size + added <= this.maxEntries) return;
    if (now >= this.earliestExpiry && now - this.lastFullSweep >= FULL_SWEEP_GAP_MS) {
      this.lastFullSweep = now;
      this.sweepInSlices();
      if (this.entries.size + added <= this.maxEntries) return;
    }
    throw new StoreUnavailableError(operation, { sent: false, full: true });
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
      this.put(key, { value: '1', expiresAt: expiryAt(now, ttlMs) });
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
