import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { retryUntil } from '../common/retry-until.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { LogThrottle } from '../logging/log-throttle.js';
import { OtpStore } from '../store/otp-store.interface.js';
import { TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { toCallbackErrorResponse, UNEXPECTED_ERROR, type CallbackOutcome } from './callback-error-response.js';
import { keyedDigest } from '../common/keyed-digest.js';
import { LeaseKeeper } from './lease-keeper.js';
import { OtpMetrics } from '../metrics/otp-metrics.service.js';

/** Marks an in-flight claim; a stored outcome is JSON and never starts with it. */
const PENDING = 'pending:';
/** How often a concurrent repeat looks for the first request's outcome. */
const POLL_MS = 25;
/** How much longer than a lease a repeat waits, so it sees a crashed owner's lease end. */
const WAIT_MARGIN_MS = 500;
/** A lost-lease warning at most this often. */
const LOST_LEASE_WARNING_INTERVAL_MS = 60_000;

/**
 * How a request claims its key: answers `true` (claimed), `false` (claimed by another request
 * already), or `{ refusal }` (claimed, and refused: by the send's limits, counted in the same step,
 * or by a check made at the claim, such as the code's expiry).
 */
export type ClaimStep = (key: string, token: string, leaseMs: number) => Promise<boolean | { refusal: unknown }>;

/**
 * Undoes a claim step that failed, which may have run all the same (its answer lost to a timeout
 * or a dropped connection): what it stored under `key` with `token`, and what it counted.
 */
export type AbandonStep = (key: string, token: string, leaseMs: number) => Promise<unknown>;

/** How `CallbackIdempotency.run` claims its key and names what it logs. */
export interface IdempotentRunOptions {
  /** The callback's name, for the metrics (`other` by default). */
  readonly callback?: string;
  /** How the key is claimed (the key alone by default). */
  readonly claim?: ClaimStep;
  /** How a failed `claim` is undone (with the default claim: the key, if it holds the token). */
  readonly abandon?: AbandonStep;
  /** The request's correlation id, named by every line the run logs. */
  readonly correlationId?: string;
}

/**
 * Runs a callback's work once per key within `tokenization.idempotencyWindowSeconds`, across
 * replicas and crashes (every step is an atomic `OtpStore` operation):
 * - the first request claims the key with a short lease (`idempotencyLeaseMs`: the delivery
 *   deadline plus a margin), renewed while the work runs, then stores the outcome for the window;
 * - a sequential repeat answers the stored outcome; a concurrent repeat waits for it, and when the
 *   owner's lease ends without an outcome (the owner crashed) it claims the key and runs the work
 *   itself. So a crash costs at most one more send, and the platform's retry is answered within
 *   the lease plus the delivery deadline;
 * - unexpected failures (921, 5xx) are not stored: the owner releases its claim so the platform's
 *   retry runs the work again. Business failures (501, 164, 911) are stored and replayed like
 *   successes;
 * - a claim that fails (921) may have landed all the same, when only its answer was lost (Redis
 *   stalled past the command timeout, a dropped connection): it is undone in the background, what
 *   it counted included, so the platform's retry finds the key free and the limits untouched.
 *
 * The answer does not wait for the outcome's write (`storeOutcome` says why that is safe), and a
 * send claims its key and counts its limits in one store step (`claim`): a send's answer waits
 * for Redis once.
 */
@Injectable()
export class CallbackIdempotency implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');
  private readonly lostLeaseWarnings = new LogThrottle(LOST_LEASE_WARNING_INTERVAL_MS);
  private readonly lostOutcomeWarnings = new LogThrottle(LOST_LEASE_WARNING_INTERVAL_MS);
  private readonly releaseWarnings = new LogThrottle(LOST_LEASE_WARNING_INTERVAL_MS);
  /** Store writes the answers did not wait for (outcomes, undos), awaited at shutdown. */
  private readonly backgroundWrites = new Set<Promise<unknown>>();
  /** Set once the app shuts down: a retry then stops rather than hit a closed store client. */
  private closing = false;
  private readonly leases: LeaseKeeper;

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions,
    @Optional() private readonly metrics?: OtpMetrics,
  ) {
    this.leases = new LeaseKeeper(store, options.idempotencyLeaseMs, (reason) => this.warnLostLease(reason));
  }

  /**
   * A store key from the request's identifying parts: an HMAC under the idempotency key derived
   * from `methodIdSecret` (the parts may include an OTP), the parts encoded length-safely.
   */
  key(prefix: string, parts: readonly (string | undefined)[]): string {
    return prefix + keyedDigest(this.options.keys.idempotency, parts);
  }

  /**
   * Runs `work` unless a request with the same key ran (or runs) within the window; answers its
   * outcome. A concurrent repeat waits at most a lease (plus a margin) for a live owner, then
   * answers 921 so the platform retries.
   */
  async run(key: string, work: () => Promise<CallbackOutcome>, options: IdempotentRunOptions = {}): Promise<CallbackOutcome & { replayed: boolean }> {
    const { callback = 'other', claim = this.claimAlone, abandon = this.abandonAlone, correlationId } = options;
    const token = PENDING + randomUUID();
    const waitUntil = Date.now() + this.options.idempotencyLeaseMs + WAIT_MARGIN_MS;
    let claimed: boolean | { refusal: unknown };
    while (!(claimed = await this.claimOrAbandon(key, token, claim, abandon, correlationId))) {
      const seen = await this.awaitOutcome(key, waitUntil);
      if (seen === 'timeout') return { ...UNEXPECTED_ERROR, replayed: true };
      if (seen !== 'released') {
        this.metrics?.recordIdempotentRepeat(callback);
        this.logger.log('Repeated callback answered with the first outcome; nothing sent', { correlationId });
        return { ...seen, replayed: true };
      }
      // The owner released its claim (an unexpected failure) or its lease ended (it crashed): claim it.
    }
    // A refused claim is answered at once: it has no work to keep a lease for.
    if (claimed === true) this.leases.hold(key, token);
    let outcome: CallbackOutcome;
    try {
      // A claim that counted the send's limits and was refused answers that refusal, like the work would.
      if (claimed !== true) throw claimed.refusal;
      outcome = await work();
    } catch (error) {
      const response = toCallbackErrorResponse(error);
      if (response.unexpected) {
        this.leases.release(key);
        await this.release(key, token, correlationId);
        throw error;
      }
      outcome = { status: response.status, body: response.body };
      // Refusals are the operator's main signal (fraud, provider trouble): name and reason only, no values.
      const reason = (error as { reason?: unknown }).reason;
      this.logger.warn('Tokenization callback refused', {
        correlationId,
        responseCode: response.body.responseCode,
        status: response.status,
        errorName: error instanceof Error ? error.name : typeof error,
        ...(typeof reason === 'string' ? { reason } : {}),
      });
    }
    this.leases.release(key);
    this.storeOutcome(key, outcome);
    return { ...outcome, replayed: false };
  }

  /**
   * Outcome writes and undos still in flight finish before the app (and its store client) closes,
   * and those that requests finishing meanwhile start get one more turn: two passes, within a lease
   * in all. Nest closes the HTTP server after this hook, so sends may still come: waiting until none
   * is in flight could wait for ever.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + this.options.idempotencyLeaseMs;
    for (let pass = 0; pass < 2 && this.backgroundWrites.size > 0; pass += 1) {
      await Promise.race([Promise.allSettled([...this.backgroundWrites]), sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false })]);
    }
  }

  onApplicationShutdown(): void {
    this.closing = true;
    this.leases.stop();
  }

  /**
   * The first outcome of the request `key` names, when it repeats one: stored, or waited for while
   * the first still runs (as `run` waits, but never claiming); undefined when there is none, the
   * first was released or did not finish within a lease, or the store cannot answer. Reads only.
   */
  async storedOutcome(key: string, run: { callback?: string; correlationId?: string } = {}): Promise<(CallbackOutcome & { replayed: true }) | undefined> {
    const until = Date.now() + this.options.idempotencyLeaseMs + WAIT_MARGIN_MS;
    const seen = await this.awaitOutcome(key, until).catch(() => 'released' as const);
    if (typeof seen !== 'object') return undefined;
    this.metrics?.recordIdempotentRepeat(run.callback ?? 'other');
    this.logger.log('Repeated callback answered with the first outcome; nothing sent', { correlationId: run.correlationId });
    return { ...seen, replayed: true };
  }

  /**
   * Replaces the claim with the outcome, without holding the answer for it: a repeat that arrives
   * before the write lands sees the claim and waits for the outcome, so waiting here would only
   * delay the answer. A failed write is tried again while the claim surely stands (see the deadline
   * below), so a dropped connection, which refuses commands while ioredis reconnects, does not lose
   * the outcome of a code that was sent.
   * Only when the store stays unreachable for that long does the claim's lease end, and a later
   * repeat runs the work again.
   */
  private storeOutcome(key: string, outcome: CallbackOutcome): void {
    const value = JSON.stringify(outcome);
    // A third of a lease: the claim still stands then even when the last renewal, due during the
    // same trouble, failed (the one before it succeeded at most two thirds of a lease ago).
    const deadline = Date.now() + this.options.idempotencyLeaseMs / 3;
    this.inBackground(
      this.store.set(key, value, this.options.idempotencyWindowMs).catch(async () => {
        const retried = await retryUntil(() => this.store.set(key, value, this.options.idempotencyWindowMs), deadline, () => this.closing);
        if (!retried.done) this.warnLostOutcome(retried.error);
      }),
    );
  }

  /**
   * Claims with `claim`; when the claim fails, its undo starts in the background (retried while the
   * claim could still stand), and the failure goes on to the caller (921).
   */
  private async claimOrAbandon(key: string, token: string, claim: ClaimStep, abandon: AbandonStep, correlationId: string | undefined): Promise<boolean | { refusal: unknown }> {
    try {
      return await claim(key, token, this.options.idempotencyLeaseMs);
    } catch (error) {
      // A command the client refused before sending it (disconnected) ran nowhere: nothing to undo.
      if (!(error instanceof StoreUnavailableError && !error.sent)) this.letGo(() => abandon(key, token, this.options.idempotencyLeaseMs), correlationId);
      throw error;
    }
  }

  private inBackground(write: Promise<unknown>): void {
    this.backgroundWrites.add(write);
    void write.finally(() => this.backgroundWrites.delete(write));
  }


  private warnLostOutcome(error: unknown): void {
    if (!this.lostOutcomeWarnings.tryPass()) return;
    this.logger.warn('A callback outcome could not be stored; a repeat after its lease ends runs the work again', {
      errorName: error instanceof Error ? error.name : 'error',
      warningsNotLogged: this.lostOutcomeWarnings.suppressed,
    });
  }

  /** Claims `key` alone (nothing counted): what a `ClaimStep` that refuses without counting claims first. */
  claimKey(key: string, token: string, leaseMs: number): Promise<boolean> {
    return this.store.setIfAbsent(key, token, leaseMs);
  }

  /** The default claim: the key alone. */
  private readonly claimAlone: ClaimStep = (key, token, leaseMs) => this.claimKey(key, token, leaseMs);

  /** The default claim's undo: the key, while it holds the token. */
  private readonly abandonAlone: AbandonStep = (key, token) => this.store.deleteIf(key, token);

  /** The stored outcome; `released` when the key is gone (claim released or lease expired); `timeout` past `until`. */
  private async awaitOutcome(key: string, until: number): Promise<CallbackOutcome | 'released' | 'timeout'> {
    for (;;) {
      const stored = await this.store.get(key);
      if (stored === null) return 'released';
      if (!stored.startsWith(PENDING)) return JSON.parse(stored) as CallbackOutcome;
      if (Date.now() >= until) return 'timeout';
      await sleep(POLL_MS);
    }
  }

  /** Releases a claim after an unexpected failure, so the platform's retry runs the work at once. */
  private async release(key: string, token: string, correlationId: string | undefined): Promise<void> {
    await this.store.deleteIf(key, token).catch(() => this.letGo(() => this.store.deleteIf(key, token), correlationId));
  }

  /**
   * Releases or undoes a claim in the background, tried again while the claim could still stand:
   * a dropped connection heals within that, and the platform's retry then need not wait out the lease.
   */
  private letGo(operation: () => Promise<unknown>, correlationId: string | undefined): void {
    const deadline = Date.now() + this.options.idempotencyLeaseMs;
    this.inBackground(
      retryUntil(operation, deadline, () => this.closing).then((result) => {
        if (result.done || !this.releaseWarnings.tryPass()) return;
        this.logger.warn('Could not release an idempotency claim; repeats wait for its lease to end', {
          correlationId,
          errorName: result.error instanceof Error ? result.error.name : 'error',
          warningsNotLogged: this.releaseWarnings.suppressed,
        });
      }),
    );
  }

  private warnLostLease(reason: 'expired' | 'store-unavailable'): void {
    if (!this.lostLeaseWarnings.tryPass()) return;
    this.logger.warn('An idempotency lease could not be renewed while its work ran; a repeat may run the work again', {
      reason,
      warningsNotLogged: this.lostLeaseWarnings.suppressed,
    });
  }
}
