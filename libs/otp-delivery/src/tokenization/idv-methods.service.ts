import { Inject, Injectable, Optional } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { keyedDigest } from '../common/keyed-digest.js';
import { maskEmail, maskPhone } from '../common/masking.js';
import { OtpSendControls, type CheckedDestination } from '../limits/otp-send-controls.service.js';
import { CardholderContactResolver, type CardholderContact } from './cardholder-contact-resolver.interface.js';
import { TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { UnknownOtpMethodError } from './errors/unknown-otp-method.error.js';
import { OTP_CHANNELS } from '../channels/otp-channel.tokens.js';
import type { OtpChannel } from '../channels/otp-channel.interface.js';

/** The channels an `idvMethodList` entry can stand for. */
export type IdvChannel = 'sms' | 'email';

const ALL_CHANNELS: readonly IdvChannel[] = ['sms', 'email'];

/** One `idvMethodList` entry of a `requestCardDigitization` answer. */
export interface IdvMethod {
  /** Stable id: the same card, channel and destination always give the same id. */
  readonly id: string;
  /** The configured type literal (`tokenization.idvMethodTypes`). */
  readonly type: string;
  /** The masked destination: `*******1234`, `ta*****@example.com`. */
  readonly value: string;
}

/** What an `otpMethodId` maps back to. */
export interface ResolvedIdvMethod {
  readonly channel: IdvChannel;
  /** E.164 phone number or lower-cased email address. Personal data: never log it unmasked. */
  readonly destination: string;
  /** The destination as parsed for its channel: hand it to `deliver()` and it is not parsed again. */
  readonly checked: CheckedDestination;
  readonly method: IdvMethod;
}

/** The first character of a method id: its channel, so a `sendOTP` derives one method, not every one. */
const CHANNEL_MARK: Readonly<Record<IdvChannel, string>> = { sms: 's', email: 'e' };

/** Options of `IdvMethodsService.forCard`. */
export interface IdvMethodsOptions {
  /**
   * Channels to offer, in order. Email is not an out-of-band authenticator (NIST 800-63B):
   * offering it is the issuer's choice. A channel the app switched off (`channels.email: false`)
   * is never offered: a `sendOTP` could not deliver on it.
   * @default ['sms', 'email']
   */
  readonly channels?: readonly IdvChannel[];
}

/**
 * Builds the `idvMethodList` of a `requestCardDigitization` answer and maps a later `sendOTP`'s
 * `otpMethodId` back to the channel and destination. Ids are a short HMAC of card, channel and
 * destination under a key derived from `tokenization.methodIdSecret`, so no state is kept, a changed contact
 * invalidates the old id, and an id never fits another card.
 *
 * @example
 * const idvMethodList = await idvMethods.forCard(body.issuerCardRefId);
 * return { levelOfTrust: 'yellow', idvMethodList };
 */
@Injectable()
export class IdvMethodsService {
  /** @internal Created by Nest's DI. */
  constructor(
    @Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions,
    private readonly controls: OtpSendControls,
    @Inject(OTP_CHANNELS) private readonly channels: ReadonlyMap<string, OtpChannel>,
    @Optional() @Inject(CardholderContactResolver) private readonly resolver?: CardholderContactResolver,
  ) {}

  /**
   * The methods of a card: SMS when the contact has a phone number the fraud controls would send
   * to (a mobile, not premium rate, in `limits.allowedCountries`), email when it has an address,
   * each only while the app has that channel.
   * A method `sendOTP` would refuse whatever the counters say is never offered. Without `contact`,
   * the registered `CardholderContactResolver` is asked; an unknown card has no methods.
   */
  async forCard(issuerCardRefId: string, contact?: CardholderContact | null, options: IdvMethodsOptions = {}): Promise<IdvMethod[]> {
    const known = contact === undefined ? await this.resolver?.resolveByCard(issuerCardRefId) : contact;
    if (!known) return [];
    return (options.channels ?? ALL_CHANNELS).flatMap((channel) => {
      if (!this.channels.has(channel)) return [];
      const candidate = this.candidate(issuerCardRefId, known, channel);
      return candidate && this.controls.passesStaticChecks(candidate.checked) ? [candidate.method] : [];
    });
  }

  /**
   * Maps `otpMethodId` back to its channel and destination for this card and contact.
   * @throws UnknownOtpMethodError when the id is not one of the card's current methods.
   * @internal The callbacks' step; issuers build lists with `forCard`.
   */
  resolve(issuerCardRefId: string, otpMethodId: string, contact: CardholderContact | null): ResolvedIdvMethod {
    // The id says its channel: only that method is derived (one HMAC, one parse).
    const channel = ALL_CHANNELS.find((name) => otpMethodId.startsWith(CHANNEL_MARK[name]));
    const candidate = contact && channel ? this.candidate(issuerCardRefId, contact, channel) : undefined;
    if (candidate && sameId(candidate.method.id, Buffer.from(otpMethodId))) return candidate;
    throw new UnknownOtpMethodError();
  }

  /** @internal The contact's destination on a channel in the form deliveries use, or undefined if unusable. */
  destinationOf(contact: CardholderContact, channel: IdvChannel): string | undefined {
    return this.checkedDestinationOf(contact, channel)?.destination;
  }

  /** @internal The contact's destination on a channel, parsed for it (hand it to `deliver()`), or undefined if unusable. */
  checkedDestinationOf(contact: CardholderContact, channel: IdvChannel): CheckedDestination | undefined {
    const given = channel === 'email' ? contact.email : contact.phoneNumber;
    if (!given) return undefined;
    try {
      return this.controls.parse(channel === 'email' ? 'email' : 'phone', given);
    } catch {
      return undefined;
    }
  }

  private candidate(issuerCardRefId: string, contact: CardholderContact, channel: IdvChannel): ResolvedIdvMethod | undefined {
    const checked = this.checkedDestinationOf(contact, channel);
    if (!checked) return undefined;
    const destination = checked.destination;
    const method: IdvMethod = {
      id: this.methodId(issuerCardRefId, channel, destination),
      type: this.options.idvMethodTypes[channel],
      value: channel === 'sms' ? maskPhone(destination) : maskEmail(destination),
    };
    return { channel, destination, checked, method };
  }

  private methodId(issuerCardRefId: string, channel: IdvChannel, destination: string): string {
    // The channel's mark, then 96 bits of HMAC: unguessable, short enough for any id field.
    return CHANNEL_MARK[channel] + keyedDigest(this.options.keys.methodId, [issuerCardRefId, channel, destination]).slice(0, 16);
  }
}

/** Constant-time comparison, so response times do not reveal how much of a guessed id is right. */
function sameId(id: string, wanted: Buffer): boolean {
  const candidate = Buffer.from(id);
  return candidate.length === wanted.length && timingSafeEqual(candidate, wanted);
}
