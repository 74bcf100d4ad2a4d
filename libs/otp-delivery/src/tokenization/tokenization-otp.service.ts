import { Inject, Injectable, Optional } from '@nestjs/common';
import { OtpLogger } from '../logging/otp-logger.js';
import { SecretValue } from '../common/secret-value.js';
import { panLastFour } from '../common/masking.js';
import { OtpDeliveryService } from '../delivery/otp-delivery.service.js';
import { CardholderContactResolver, type CardholderContact } from './cardholder-contact-resolver.interface.js';
import { TOKENIZATION_OPTIONS, IDEMPOTENCY_PREFIX } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { IdvMethodsService, type IdvChannel } from './idv-methods.service.js';
import { CallbackIdempotency } from './callback-idempotency.service.js';
import { EndedEnrolments } from './ended-enrolments.service.js';
import type { CallbackOutcome } from './callback-error-response.js';
import { UnknownOtpMethodError } from './errors/unknown-otp-method.error.js';
import { UnknownCardholderError } from './errors/unknown-cardholder.error.js';
import { NoContactForChannelError } from './errors/no-contact-for-channel.error.js';
import { EnrolmentEndedError } from './errors/enrolment-ended.error.js';
import { ExpiredOtpError } from './errors/expired-otp.error.js';
import { refusedClaim } from '../store/refused-claim.js';
import { assertOtpStillValid, otpStillValid, secondsUntil } from './otp-expiry.js';
import type { SendOtpDto } from './dto/send-otp.dto.js';
import type { D1DeliverOtpDto } from './dto/d1-deliver-otp.dto.js';
import type { OtpCallerIdentity } from './caller-identity.js';
import type { CheckedDeliveryRequest, OtpDeliveryContext } from '../delivery/otp-delivery-request.interface.js';
import { OtpSendControls, type CheckedDestination } from '../limits/otp-send-controls.service.js';

/** What a callback's send is made of, once resolved. */
interface SendParts {
  readonly cardRef: string;
  readonly clientId?: string;
  readonly channel: IdvChannel;
  readonly destination: CheckedDestination;
  readonly code: string;
  readonly contact: CardholderContact;
  readonly correlationId?: string;
  readonly walletProviderId?: string;
  /** The platform's `expirationDate`: checked again, and the validity to announce read, at send time. */
  readonly expirationDate?: string | number;
}

/** A send of a callback, ready to deliver: the request `deliver()` gets (its validity read again at send time). */
interface PlannedSend {
  readonly request: CheckedDeliveryRequest & { readonly destination: CheckedDestination; readonly cardRef: string; readonly clientId?: string; readonly context: OtpDeliveryContext };
  readonly expirationDate?: string | number;
}

/**
 * The OTP-sending callbacks (classic `sendOTP`, D1 Deliver OTP): idempotency, method and contact
 * resolution, then delivery of the code exactly as received through `OtpDeliveryService`, whose
 * one send path applies the fraud and rate controls (per card, destination and verified caller).
 */
@Injectable()
export class TokenizationOtpService {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  constructor(
    @Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions,
    private readonly idvMethods: IdvMethodsService,
    private readonly idempotency: CallbackIdempotency,
    private readonly delivery: OtpDeliveryService,
    private readonly controls: OtpSendControls,
    private readonly enrolments: EndedEnrolments,
    @Optional() @Inject(CardholderContactResolver) private readonly resolver?: CardholderContactResolver,
  ) {}

  /**
   * Classic `sendOTP`; answers `200 {}` or the stored outcome of an identical earlier request.
   * `caller` is the verified caller (the per-caller limit counts it).
   */
  async sendClassic(correlationId: string, body: SendOtpDto, caller?: OtpCallerIdentity): Promise<CallbackOutcome> {
    const key = this.idempotency.key(IDEMPOTENCY_PREFIX.sendOtp, [
      'classic', this.options.issuerId, correlationId, body.issuerCardRefId, body.otpMethodId, body.otpValue,
    ]);
    const run = { callback: 'sendOTP', correlationId };
    const repeat = await this.repeatOfExpired(body.expirationDate, key, run);
    if (repeat) return repeat;
    return this.sendOnce(key, run, { status: 200, body: {} }, async () => {
      // Before anything is counted: a DELETE of this enrolment came first (a delayed sendOTP).
      if (this.delivery.enrolmentEnded(correlationId)) throw new EnrolmentEndedError();
      const contact = await this.resolverOrFail().resolveByCard(body.issuerCardRefId);
      // An unknown card has no methods, so no id can belong to it: the same 501 as a foreign id.
      if (!contact) throw new UnknownOtpMethodError();
      const { channel, checked } = this.idvMethods.resolve(body.issuerCardRefId, body.otpMethodId, contact);
      return this.planSend({
        cardRef: body.issuerCardRefId,
        clientId: caller?.id,
        channel,
        destination: checked,
        code: body.otpValue,
        contact,
        correlationId,
        walletProviderId: body.walletProviderId,
        expirationDate: body.expirationDate,
      });
    });
  }

  /**
   * D1 Deliver OTP; answers `204` or the stored outcome of an identical earlier request. `logId`
   * names the lines logged (D1's correlation id is optional): `correlationId` when there is one.
   */
  async deliverD1(consumerId: string, correlationId: string | undefined, body: D1DeliverOtpDto, caller?: OtpCallerIdentity, logId = correlationId): Promise<CallbackOutcome> {
    const channel: IdvChannel = body.deliveryChannel === 'EMAIL' ? 'email' : 'sms';
    const key = this.idempotency.key(IDEMPOTENCY_PREFIX.sendOtp, [
      'd1', this.options.issuerId, correlationId, consumerId, channel, body.otp.value,
    ]);
    const run = { callback: 'd1DeliverOtp', correlationId: logId };
    const repeat = await this.repeatOfExpired(body.otp.expirationDate, key, run);
    if (repeat) return repeat;
    return this.sendOnce(key, run, { status: 204, body: undefined }, async () => {
      if (correlationId !== undefined && this.delivery.enrolmentEnded(correlationId)) throw new EnrolmentEndedError();
      const contact = await this.resolverOrFail().resolveByConsumer(consumerId);
      if (!contact) throw new UnknownCardholderError('consumerId');
      const destination = this.idvMethods.checkedDestinationOf(contact, channel);
      if (!destination) throw new NoContactForChannelError(channel);
      return this.planSend({
        cardRef: consumerId,
        clientId: caller?.id,
        channel,
        destination,
        code: body.otp.value,
        contact: body.panSuffix ? { ...contact, panLastFour: body.panSuffix } : contact,
        correlationId,
        expirationDate: body.otp.expirationDate,
      });
    });
  }

  /**
   * Undefined while the code is valid. Once it has expired (or nearly), the first outcome when the
   * request repeats one that finished (the platform's retry of a delivered request answers the
   * delivery, not "expired"), else the expiry is thrown (911). Nothing is claimed or written for an
   * expired code, and a store that cannot answer leaves the refusal final, not a 921 the platform
   * would retry for ever.
   */
  private async repeatOfExpired(expirationDate: string | number | undefined, key: string, run: { callback: string; correlationId?: string }): Promise<CallbackOutcome | undefined> {
    if (otpStillValid(expirationDate, this.options)) return undefined;
    const first = await this.idempotency.storedOutcome(key, run);
    if (first) return first;
    throw new ExpiredOtpError();
  }

  /**
   * Sends once per key. The send is planned (contact, method, destination, the request `deliver()`
   * gets) before the key is claimed, so that the claim and the send's limits are one store step (one
   * Redis round trip); the first hop is then not counted again. A plan that fails, a destination the
   * static checks refuse, or a request `deliver()` would refuse as given (a contact field of the
   * wrong type: `locale: 81`) is planned again after a claim of the key alone, so a repeat of a
   * request still answers that request's stored outcome and a refused send counts nowhere.
   * A send of an enrolment that a `DELETE` ended on another replica (its mark in the store) is
   * refused (911) with nothing counted: the claim's store step checks the mark, and a send planned
   * again reads it before sending.
   */
  private async sendOnce(key: string, run: { callback: string; correlationId?: string }, answer: CallbackOutcome, plan: () => Promise<PlannedSend>): Promise<CallbackOutcome> {
    const planned = await plan().then((send) => (this.countable(send) ? send : undefined), () => undefined);
    if (!planned) {
      return this.idempotency.run(key, async () => {
        const send = await plan();
        const { enrolmentId } = send.request.context;
        if (enrolmentId !== undefined && (await this.enrolments.ended(enrolmentId))) throw new EnrolmentEndedError();
        await this.send(send, false, run.correlationId);
        return answer;
      }, run);
    }
    const { request } = planned;
    const attempt = { channel: request.channel, destination: request.destination, cardRef: request.cardRef, clientId: request.clientId };
    const { enrolmentId } = request.context;
    const unless = enrolmentId === undefined ? undefined : { key: this.enrolments.markKey(enrolmentId), refusal: () => new EnrolmentEndedError() };
    let claims = 0;
    return this.idempotency.run(key, async () => {
      await this.send(planned, true, run.correlationId);
      return answer;
    }, {
      ...run,
      // The expiry was checked on arrival; a claim made again after waiting out a crashed owner's
      // lease, seconds later, checks it anew (`claimExpired`).
      claim: (claimKey, token, leaseMs) =>
        (claims += 1) === 1 || otpStillValid(planned.expirationDate, this.options)
          ? this.controls.claimAndCount({ key: claimKey, value: token, ttlMs: leaseMs }, attempt, unless)
          : this.claimExpired(claimKey, token, leaseMs),
      abandon: (claimKey, token, leaseMs) => this.controls.abandonClaim({ key: claimKey, value: token, ttlMs: leaseMs }, attempt),
    });
  }

  /**
   * Claims the key of a request whose code expired while it waited: the key alone, nothing counted,
   * marked refused as the limits mark theirs (an undo gives back no unit), then refused; a key held
   * by another request is waited on as usual, never written over.
   */
  private async claimExpired(key: string, token: string, leaseMs: number): Promise<false | { refusal: ExpiredOtpError }> {
    return (await this.idempotency.claimKey(key, refusedClaim(token), leaseMs)) ? { refusal: new ExpiredOtpError() } : false;
  }

  /**
   * Whether a planned send's first hop may be counted with its claim: its destination passes the
   * static checks and `deliver()` would take the request as given. Counting one it then refuses
   * would spend the card's and the number's budget on a code never sent.
   */
  private countable({ request }: PlannedSend): boolean {
    return this.controls.passesStaticChecks(request.destination) && this.delivery.triesFirstHop(request);
  }

  /** The request a callback's send hands to `deliver()`, its validity read now. */
  private planSend(parts: SendParts): PlannedSend {
    const { contact } = parts;
    const request = {
      code: new SecretValue(parts.code),
      channel: parts.channel,
      destination: parts.destination,
      cardRef: parts.cardRef,
      // Unverified callers (auth mode none, a replacement guard that records nobody) share one budget.
      clientId: parts.clientId,
      // A configured fallback (e.g. sms -> email) needs the cardholder's address on that channel.
      destinations: this.contactDestinations(contact, parts.channel),
      context: {
        locale: contact.locale,
        // A value of another type is handed on as it is, for `deliver()` to refuse naming the field.
        panLastFour: typeof contact.panLastFour === 'string' ? panLastFour(contact.panLastFour) : contact.panLastFour,
        walletProviderId: parts.walletProviderId,
        expiresInSeconds: secondsUntil(parts.expirationDate, this.options.otpExpirySeconds),
        correlationId: parts.correlationId,
        // The correlation id spans one enrolment session: a DELETE for it cancels this delivery.
        enrolmentId: parts.correlationId,
      },
    };
    return { request, expirationDate: parts.expirationDate };
  }

  /** Delivers a planned send; `counted` when its limits were counted with the claim; `logId` names the line logged. */
  private async send({ request, expirationDate }: PlannedSend, counted: boolean, logId: string | undefined): Promise<void> {
    // The validity is read again at send time: the work may run a lease after the request arrived. A send
    // counted with its claim had its expiry checked on arrival or, after a wait, at that claim; one planned anew after a claim of
    // the key alone (possibly after a wait) is checked here, before anything is counted.
    if (!counted) assertOtpStillValid(expirationDate, this.options);
    const expiresInSeconds = secondsUntil(expirationDate, this.options.otpExpirySeconds);
    const receipt = await this.delivery.deliverChecked({ ...request, firstHopCounted: counted, context: { ...request.context, expiresInSeconds } });
    this.logger.log('OTP sent for a tokenization callback', { correlationId: logId, channel: receipt.channel, destinationMasked: receipt.destinationMasked, deliveryId: receipt.deliveryId });
  }

  /**
   * The contact's destinations on the channels a configured fallback may try (none by default): the
   * chosen channel's is resolved already, the other one is looked up only when a fallback needs it.
   */
  private contactDestinations(contact: CardholderContact, channel: IdvChannel): Record<string, string> | undefined {
    const destinations: Record<string, string> = {};
    for (const next of this.delivery.fallbacksOf(channel)) {
      const destination = next === 'sms' || next === 'email' ? this.idvMethods.destinationOf(contact, next) : undefined;
      if (destination) destinations[next] = destination;
    }
    return destinations;
  }

  private resolverOrFail(): CardholderContactResolver {
    // The callback modules refuse to boot without a resolver; this guards direct use of the service.
    if (!this.resolver) throw new Error('No CardholderContactResolver is registered');
    return this.resolver;
  }
}
