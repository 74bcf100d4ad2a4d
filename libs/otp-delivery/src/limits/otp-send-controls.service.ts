import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CountryCode, NumberType } from 'libphonenumber-js';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { normalizePhoneNumber } from '../common/phone-number.js';
import { OtpStore, type CounterLimit } from '../store/otp-store.interface.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { resolveStoreOptions } from '../store/store-options.js';
import { resolveLimitsOptions, type ResolvedLimitsOptions } from './limits-options.js';
import { OtpSendRefusedError, type OtpRateLimitName } from './otp-send-refused.error.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { LogThrottle } from '../logging/log-throttle.js';
import { OtpMetrics } from '../metrics/otp-metrics.service.js';

/** What is about to be sent, as far as the controls care. */
export interface OtpSendAttempt {
  /** The card the OTP is for (a token or card reference; hashed before it reaches the store). */
  readonly cardRef: string;
  /** Phone number (any format `normalizePhoneNumber` accepts) or email address. */
  readonly destination: string;
  /** The channel name, e.g. `sms` or `email`. */
  readonly channel: string;
  /** Who asks (the tokenization platform, an app); callers without an id share one budget. */
  readonly clientId?: string;
}

const PREMIUM_TYPES = new Set<NumberType>(['PREMIUM_RATE', 'SHARED_COST']);
const MOBILE_TYPES = new Set<NumberType>(['MOBILE', 'FIXED_LINE_OR_MOBILE']);
/** A fail-open warning at most this often, however many sends go through unchecked. */
const FAIL_OPEN_WARNING_INTERVAL_MS = 60_000;

/**
 * The fraud and rate controls run before every send: premium-rate, non-mobile and
 * country checks on phone numbers, then the per-card, per-destination and per-caller limits,
 * counted in ONE atomic `OtpStore.consume` so concurrent requests and replicas cannot overshoot.
 * A refused attempt counts nowhere.
 *
 * @example
 * await controls.assertAllowed({ cardRef: tokenRef, destination: '+819012345678', channel: 'sms', clientId: 'tsp' });
 * // throws OtpSendRefusedError { reason: 'rate-limited', limit: 'card', retryAfterMs: 1800000 }
 */
@Injectable()
export class OtpSendControls {
  private readonly logger = new OtpLogger(OtpSendControls.name);
  private readonly failOpenWarnings = new LogThrottle(FAIL_OPEN_WARNING_INTERVAL_MS);
  private readonly limits: ResolvedLimitsOptions;
  private readonly failMode: 'closed' | 'open';

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(OTP_DELIVERY_OPTIONS) options: OtpDeliveryModuleOptions,
    @Optional() private readonly metrics?: OtpMetrics,
  ) {
    this.limits = resolveLimitsOptions(options.limits, options.cm?.defaultRegion);
    this.failMode = resolveStoreOptions(options.store).failMode;
  }

  /**
   * Resolves when the send may go ahead (and counts it); throws `OtpSendRefusedError` otherwise,
   * or `InvalidPhoneNumberError` (field `destination`) for a phone number that cannot be parsed.
   */
  async assertAllowed(attempt: OtpSendAttempt): Promise<void> {
    try {
      await this.check(attempt);
    } catch (error) {
      if (error instanceof OtpSendRefusedError) this.metrics?.recordRefusal(error.reason);
      throw error;
    }
  }

  private async check(attempt: OtpSendAttempt): Promise<void> {
    const destination = this.checkDestination(attempt.destination);
    const counters: Array<CounterLimit & { name: OtpRateLimitName }> = [
      { name: 'card', key: `rl:card:${hash(attempt.cardRef)}`, limit: this.limits.perCard.max, windowMs: this.limits.perCard.windowMs },
      { name: 'destination', key: `rl:dest:${hash(destination)}`, limit: this.limits.perDestination.max, windowMs: this.limits.perDestination.windowMs },
      { name: 'client', key: `rl:client:${hash(attempt.clientId ?? '')}`, limit: this.limits.perClient.max, windowMs: this.limits.perClient.windowMs },
    ];
    let result;
    try {
      result = await this.store.consume(counters);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (this.failMode === 'closed') throw new OtpSendRefusedError('store-unavailable', { cause: error });
      this.warnFailOpen();
      return;
    }
    if (!result.allowed) {
      const limit = counters.find((counter) => counter.key === result.exceededKey)?.name;
      throw new OtpSendRefusedError('rate-limited', { limit, retryAfterMs: result.retryAfterMs });
    }
  }

  /** Normalises the destination (the limit key must not change with formatting) and vets phone numbers. */
  private checkDestination(destination: string): string {
    if (destination.includes('@')) return destination.trim().toLowerCase();
    const phone = normalizePhoneNumber(destination, {
      defaultRegion: this.limits.defaultRegion as CountryCode | undefined,
      field: 'destination',
      requireMobile: false,
    });
    if (this.limits.blockPremiumRate && phone.type && PREMIUM_TYPES.has(phone.type)) throw new OtpSendRefusedError('premium-rate');
    if (this.limits.requireMobile && !(phone.type && MOBILE_TYPES.has(phone.type))) throw new OtpSendRefusedError('not-mobile');
    if (this.limits.allowedCountries && !(phone.country && this.limits.allowedCountries.has(phone.country))) {
      throw new OtpSendRefusedError('country-not-allowed');
    }
    return phone.e164;
  }

  /** Sending unchecked is a deliberate choice (`failMode: 'open'`), but it must be visible, not spam. */
  private warnFailOpen(): void {
    if (!this.failOpenWarnings.tryPass()) return;
    this.logger.warn("OTP store unavailable: sending without rate limits (store.failMode = 'open')", {
      uncheckedSendsNotLogged: this.failOpenWarnings.suppressed,
    });
  }
}

/** Keys carry a digest, never the card reference, phone number or email itself. */
function hash(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
