import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { CountryCode, NumberType } from 'libphonenumber-js';
import { InvalidPhoneNumberError, isMobile, normalizePhoneNumber, type NormalizedPhoneNumber } from '../common/phone-number.js';
import { normalizeEmailAddress } from '../common/email-address.js';
import { OtpStore, type ConsumeResult, type CounterLimit } from '../store/otp-store.interface.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { refusedClaim } from '../store/refused-claim.js';
import type { ResolvedStoreOptions } from '../store/store-options.js';
import { STORE_OPTIONS } from '../store/store.constants.js';
import type { ResolvedLimitsOptions } from './limits-options.js';
import { LIMITS_OPTIONS } from './limits.constants.js';
import { OtpSendRefusedError, type OtpRateLimitName } from './otp-send-refused.error.js';
import { InvalidDestinationError } from './invalid-destination.error.js';
import { destinationKindOf, type OtpDestinationKind } from './destination-kind.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { LogThrottle } from '../logging/log-throttle.js';
import { OtpMetrics } from '../metrics/otp-metrics.service.js';

/** What is about to be sent, as far as the controls care. */
export interface OtpSendAttempt {
  /** The channel name, e.g. `sms` or `email`. */
  readonly channel: string;
  /** What the channel sends to. @default by the channel name: `sms` phone, `email` email, others `any` */
  readonly kind?: OtpDestinationKind;
  /**
   * Phone number (any format `normalizePhoneNumber` accepts) or email address, or a destination
   * already parsed for this kind (`parse`, `IdvMethodsService`), which is not parsed again.
   */
  readonly destination: string | CheckedDestination;
  /** The card (or D1 consumer) the code is for; counted by the per-card limit when given. Hashed before it reaches the store. */
  readonly cardRef?: string;
  /** Who asks: the verified caller of a callback, or an id of the issuer's choosing; callers without one share a budget. */
  readonly clientId?: string;
}

/** A destination that passed the checks, in the form its channel sends to. */
export interface CheckedDestination {
  readonly kind: OtpDestinationKind;
  /** Where to send: E.164 for a phone, the trimmed lower-case address for an email, the trimmed input otherwise. */
  readonly destination: string;
  /** The parsed number, for a phone. */
  readonly phone?: NormalizedPhoneNumber;
  /** What the per-destination limit counts: E.164, the email's mailbox, the trimmed input. */
  readonly counted: string;
}

const PREMIUM_TYPES = new Set<NumberType>(['PREMIUM_RATE', 'SHARED_COST']);
/** A fail-open warning at most this often, however many sends go through unchecked. */
const FAIL_OPEN_WARNING_INTERVAL_MS = 60_000;

/**
 * The fraud and rate controls every send goes through (`OtpDeliveryService.deliver`, every
 * fallback hop, `CmOtpService.generate`): the destination is parsed for its channel (a phone number
 * must be one, an email one plain address), phone numbers are vetted (premium rate, not mobile,
 * country outside `limits.allowedCountries`), then the per-card, per-destination and per-caller
 * limits are counted in ONE atomic `OtpStore.consume`, so concurrent requests and replicas cannot
 * overshoot. A refused attempt counts nowhere.
 *
 * @example
 * const checked = await controls.admit({ channel: 'sms', destination: '+819012345678', cardRef, clientId });
 * // throws OtpSendRefusedError { reason: 'rate-limited', limit: 'card', retryAfterMs: 1800000 }
 */
@Injectable()
export class OtpSendControls implements OnModuleInit {
  private readonly logger = new OtpLogger(OtpSendControls.name);
  private readonly failOpenWarnings = new LogThrottle(FAIL_OPEN_WARNING_INTERVAL_MS);
  private readonly limits: ResolvedLimitsOptions;
  private readonly failMode: 'closed' | 'open';
  private readonly storeType: ResolvedStoreOptions['type'];

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(LIMITS_OPTIONS) limits: ResolvedLimitsOptions,
    // What to do while the store is down is the store's setting: `store.failMode`.
    @Inject(STORE_OPTIONS) storeOptions: Pick<ResolvedStoreOptions, 'failMode' | 'type'>,
    @Optional() private readonly metrics?: OtpMetrics,
  ) {
    this.limits = limits;
    this.failMode = storeOptions.failMode;
    this.storeType = storeOptions.type;
  }

  /** Counter names in a shared Redis that anyone with access there can reverse are said at boot. */
  onModuleInit(): void {
    if (this.storeType !== 'redis' || this.limits.countersKeyed) return;
    this.logger.warn(
      'Limit counters in Redis are named by plain SHA-256 digests of card references, phone numbers and email addresses, which trying every phone number reverses: set tokenization.methodIdSecret to key them',
    );
  }

  /**
   * Checks and counts one send. Answers the destination in the form to send to; throws
   * `InvalidDestinationError` when it is unusable on the channel, `OtpSendRefusedError` when the
   * fraud or rate controls refuse it (nothing counted then).
   */
  async admit(attempt: OtpSendAttempt): Promise<CheckedDestination> {
    try {
      const checked = this.vet(destinationKindOf(attempt.channel, attempt.kind), attempt.destination);
      await this.count(attempt, checked);
      return checked;
    } catch (error) {
      if (error instanceof OtpSendRefusedError) this.metrics?.recordRefusal(error.reason);
      throw error;
    }
  }

  /**
   * The checks that need no store (parsing, premium rate, mobile, country): what `admit` refuses
   * whatever the counters say. `IdvMethodsService` offers only methods that pass them.
   */
  vet(kind: OtpDestinationKind, destination: string | CheckedDestination): CheckedDestination {
    // A destination this class parsed for this kind is taken as it is (a number is parsed once per
    // send); any other object is parsed from its text, so a hand-made one cannot pass as vetted.
    const checked = typeof destination === 'object' && destination.kind === kind && PARSED.has(destination) ? destination : this.parse(kind, textOf(destination));
    if (checked.phone) this.vetPhone(checked.phone);
    return checked;
  }

  /**
   * Whether a destination this class parsed passes `vet`: a send it fails is refused whatever the
   * counters say, so it is neither offered (`IdvMethodsService`) nor counted (the callbacks).
   */
  passesStaticChecks(destination: CheckedDestination): boolean {
    try {
      this.vet(destination.kind, destination);
      return true;
    } catch {
      return false;
    }
  }

  /** Parses a destination for its kind, without the fraud checks; throws `InvalidDestinationError`. */
  parse(kind: OtpDestinationKind, destination: string): CheckedDestination {
    if (typeof destination !== 'string' || destination.trim() === '') throw new InvalidDestinationError(kind === 'email' ? 'email' : 'phone', 'is empty');
    if (kind === 'email') {
      const email = normalizeEmailAddress(destination, { plusTagsAreSameMailbox: this.limits.emailPlusTagsAsSameMailbox });
      if (!email) throw new InvalidDestinationError('email', 'is not one plain email address');
      return parsed({ kind, destination: email.address, counted: email.mailbox });
    }
    if (kind === 'any') return parsed({ kind, destination: destination.trim(), counted: destination.trim() });
    let phone: NormalizedPhoneNumber;
    try {
      phone = normalizePhoneNumber(destination, { defaultRegion: this.limits.defaultRegion as CountryCode | undefined, field: 'destination', requireMobile: false });
    } catch (error) {
      if (error instanceof InvalidPhoneNumberError) throw new InvalidDestinationError('phone', error.reason);
      throw error;
    }
    return parsed({ kind, destination: phone.e164, phone, counted: phone.e164 });
  }

  private vetPhone(phone: NormalizedPhoneNumber): void {
    if (this.limits.blockPremiumRate && phone.type && PREMIUM_TYPES.has(phone.type)) throw new OtpSendRefusedError('premium-rate');
    if (this.limits.requireMobile && !isMobile(phone)) throw new OtpSendRefusedError('not-mobile');
    if (this.limits.allowedCountries && !(phone.country && this.limits.allowedCountries.has(phone.country))) {
      throw new OtpSendRefusedError('country-not-allowed');
    }
  }

  /**
   * @internal Claims `claim.key` and counts a send whose destination `vet` passed, in one store step
   * (one Redis round trip with `OtpStore.claimAndConsume`; the claim, then the counters, without it):
   * answers `false` when the key was claimed already (nothing counted), `true` when claimed and
   * counted, and `{ refusal }` when claimed but the controls refuse (the caller answers it as it
   * would a refusal of `admit`). With `unless`, a held `unless.key` (an ended enrolment's mark)
   * refuses the claimed send with `unless.refusal()`, nothing counted: checked in the same step
   * with `OtpStore.claimAndConsumeUnless`, read before the claim without it. A store failure
   * before the claim throws.
   */
  async claimAndCount(
    claim: { key: string; value: string; ttlMs: number },
    attempt: OtpSendAttempt & { destination: CheckedDestination },
    unless?: { key: string; refusal(): unknown },
  ): Promise<boolean | { refusal: unknown }> {
    const counters = this.countersOf(attempt, attempt.destination);
    if (unless && !(this.store.claimAndConsume && this.store.claimAndConsumeUnless) && (await this.store.get(unless.key)) !== null) {
      // Marked refused only for a store whose undo can tell (`abandonClaim`); another's undo deletes the value it was given.
      const held = this.store.claimAndConsume && this.store.abandonClaim ? refusedClaim(claim.value) : claim.value;
      return (await this.store.setIfAbsent(claim.key, held, claim.ttlMs)) ? { refusal: unless.refusal() } : false;
    }
    if (!this.store.claimAndConsume) {
      if (!(await this.store.setIfAbsent(claim.key, claim.value, claim.ttlMs))) return false;
      try {
        await this.count(attempt, attempt.destination);
        return true;
      } catch (error) {
        if (error instanceof OtpSendRefusedError) this.metrics?.recordRefusal(error.reason);
        return { refusal: error };
      }
    }
    // A store failure throws, as a failed claim alone does (921, retried); the step may have run
    // all the same, which the caller undoes with `abandonClaim`.
    const result =
      unless && this.store.claimAndConsumeUnless
        ? await this.store.claimAndConsumeUnless(claim.key, claim.value, claim.ttlMs, counters, unless.key)
        : await this.store.claimAndConsume(claim.key, claim.value, claim.ttlMs, counters);
    if (result === null) return false;
    if (result.allowed) return true;
    if (unless && result.exceededKey === unless.key) return { refusal: unless.refusal() };
    const refusal = this.refusalOf(counters, result);
    this.metrics?.recordRefusal(refusal.reason);
    return { refusal };
  }

  /**
   * @internal Undoes a `claimAndCount` that failed and may have run all the same (its answer lost
   * to a timeout or a dropped connection): the claim goes, and the units it counted come back when
   * the store can tell what it counted (`OtpStore.abandonClaim`); otherwise they stay counted until
   * their window ends, the strict side.
   */
  async abandonClaim(claim: { key: string; value: string; ttlMs: number }, attempt: OtpSendAttempt & { destination: CheckedDestination }): Promise<void> {
    if (this.store.claimAndConsume && this.store.abandonClaim) {
      await this.store.abandonClaim(claim.key, claim.value, claim.ttlMs, this.countersOf(attempt, attempt.destination));
    } else {
      await this.store.deleteIf(claim.key, claim.value);
    }
  }

  private countersOf(attempt: OtpSendAttempt, checked: CheckedDestination): Array<CounterLimit & { name: OtpRateLimitName }> {
    return [
      ...(attempt.cardRef == null
        ? []
        : [{ name: 'card' as const, key: `rl:card:${this.limits.counterDigest(attempt.cardRef)}`, limit: this.limits.perCard.max, windowMs: this.limits.perCard.windowMs }]),
      { name: 'destination', key: `rl:dest:${this.limits.counterDigest(checked.counted)}`, limit: this.limits.perDestination.max, windowMs: this.limits.perDestination.windowMs },
      { name: 'client', key: `rl:client:${this.limits.counterDigest(attempt.clientId ?? '')}`, limit: this.limits.perClient.max, windowMs: this.limits.perClient.windowMs },
    ];
  }

  private refusalOf(counters: ReadonlyArray<CounterLimit & { name: OtpRateLimitName }>, result: ConsumeResult): OtpSendRefusedError {
    const limit = counters.find((counter) => counter.key === result.exceededKey)?.name;
    return new OtpSendRefusedError('rate-limited', { limit, retryAfterMs: result.retryAfterMs });
  }

  private async count(attempt: OtpSendAttempt, checked: CheckedDestination): Promise<void> {
    const counters = this.countersOf(attempt, checked);
    let result;
    try {
      result = await this.store.consume(counters);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      // A full store is reachable and refusing new counters: sending unchecked then would let whoever
      // filled it send past every limit, so it refuses whatever `failMode` says.
      if (this.failMode === 'closed' || error.full) throw new OtpSendRefusedError('store-unavailable', { cause: error });
      this.warnFailOpen();
      return;
    }
    if (!result.allowed) throw this.refusalOf(counters, result);
  }

  /** Sending unchecked is a deliberate choice (`failMode: 'open'`), but it must be visible, not spam. */
  private warnFailOpen(): void {
    if (!this.failOpenWarnings.tryPass()) return;
    this.logger.warn("OTP store unavailable: sending without rate limits (store.failMode = 'open')", {
      uncheckedSendsNotLogged: this.failOpenWarnings.suppressed,
    });
  }
}

/** The destinations `parse` made: the only objects `vet` takes without parsing. */
const PARSED = new WeakSet<CheckedDestination>();

function parsed(destination: CheckedDestination): CheckedDestination {
  PARSED.add(destination);
  return destination;
}

function textOf(destination: string | CheckedDestination | undefined): string {
  return typeof destination === 'object' && destination !== null ? destination.destination : (destination as string);
}
