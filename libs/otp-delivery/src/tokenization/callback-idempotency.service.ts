import { Inject, Injectable } from '@nestjs/common';
import { OtpLogger } from '../logging/otp-logger.js';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OtpStore } from '../store/otp-store.interface.js';
import { TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { toCallbackErrorResponse, UNEXPECTED_ERROR, type CallbackOutcome } from './callback-error-response.js';

const PENDING = 'pending';
/** How often a concurrent repeat looks for the first request's outcome. */
const POLL_MS = 25;

/** Bounds of one idempotent run. */
export interface IdempotentRunOptions {
  /** How long a concurrent repeat waits for the first request's outcome before answering 921. */
  readonly waitMs: number;
}

/**
 * Runs a callback's work once per key within `tokenization.idempotencyWindowSeconds`, across
 * replicas (the `OtpStore` claim is atomic):
 * - the first request claims the key (`pending`), runs the work, stores its outcome;
 * - a sequential repeat answers the stored outcome, a concurrent repeat waits for it;
 * - outcomes of unexpected failures (921, 5xx) are not stored: the key is released so the
 *   platform's retry (it retries 921 and 5xx) runs the work again. Business failures
 *   (501, 164, 911) are stored and replayed like successes.
 */
@Injectable()
export class CallbackIdempotency {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions,
  ) {}

  /** A store key from the request's identifying parts, keyed with `methodIdSecret` (it may include an OTP). */
  key(prefix: string, parts: readonly (string | undefined)[]): string {
    const digest = createHmac('sha256', this.options.methodIdSecret.reveal())
      .update(parts.map((part) => part ?? '').join('\u0000'))
      .digest('base64url');
    return prefix + digest;
  }

  /** Runs `work` unless a request with the same key ran (or runs) within the window; answers its outcome. */
  async run(key: string, work: () => Promise<CallbackOutcome>, runOptions: IdempotentRunOptions): Promise<CallbackOutcome & { replayed: boolean }> {
    const windowMs = this.options.idempotencyWindowMs;
    if (!(await this.store.setIfAbsent(key, PENDING, windowMs))) {
      this.logger.log('Repeated callback answered with the first outcome; nothing sent');
      return { ...(await this.awaitOutcome(key, runOptions.waitMs)), replayed: true };
    }
    let outcome: CallbackOutcome;
    try {
      outcome = await work();
    } catch (error) {
      const response = toCallbackErrorResponse(error);
      if (response.unexpected) {
        await this.release(key);
        throw error;
      }
      outcome = { status: response.status, body: response.body };
      // Refusals are the operator's main signal (fraud, provider trouble): name and reason only, no values.
      const reason = (error as { reason?: unknown }).reason;
      this.logger.warn('Tokenization callback refused', {
        responseCode: response.body.responseCode,
        status: response.status,
        errorName: error instanceof Error ? error.name : typeof error,
        ...(typeof reason === 'string' ? { reason } : {}),
      });
    }
    await this.store.set(key, JSON.stringify(outcome), windowMs);
    return { ...outcome, replayed: false };
  }

  private async awaitOutcome(key: string, waitMs: number): Promise<CallbackOutcome> {
    const until = Date.now() + waitMs;
    for (;;) {
      const stored = await this.store.get(key);
      if (stored === null) {
        // The first request failed unexpectedly and released the key: same answer as it gave.
        return UNEXPECTED_ERROR;
      }
      if (stored !== PENDING) return JSON.parse(stored) as CallbackOutcome;
      if (Date.now() >= until) return UNEXPECTED_ERROR;
      await sleep(POLL_MS);
    }
  }

  private async release(key: string): Promise<void> {
    try {
      await this.store.delete(key);
    } catch (error) {
      this.logger.warn('Could not release an idempotency key; repeats wait for its expiry', { errorName: error instanceof Error ? error.name : 'error' });
    }
  }
}
