import { Inject, Injectable } from '@nestjs/common';
import { maskDestination } from '../common/masking.js';
import { OTP_CHANNELS } from '../channels/otp-channel.tokens.js';
import type { OtpChannel, OtpChannelReceipt } from '../channels/otp-channel.interface.js';
import { OtpChannelError } from '../channels/otp-channel.error.js';
import { OtpTemplateRenderer } from '../templates/otp-template-renderer.service.js';
import type { CheckedDeliveryRequest, OtpDeliveryRequest } from './otp-delivery-request.interface.js';
import type { OtpDeliveryReceipt } from './otp-delivery-receipt.interface.js';
import { OtpDeliveryError, type OtpDeliveryAttempt } from './otp-delivery.error.js';
import { OtpDeliveryEvents } from './otp-delivery.events.js';
import type { ResolvedDeliveryOptions } from './delivery-options.js';
import { DELIVERY_OPTIONS, ENDED_ENROLMENT_MS } from './delivery.constants.js';
import { destinationText, requestProblem, withoutNulls, type RequestProblem } from './request-problem.js';
import { createDeliveryId } from './delivery-id.js';
import { traced } from '../tracing/otp-tracing.js';
import { OtpSendControls, type CheckedDestination } from '../limits/otp-send-controls.service.js';
import { OtpSendRefusedError } from '../limits/otp-send-refused.error.js';
import { InvalidDestinationError } from '../limits/invalid-destination.error.js';
import { destinationKindOf } from '../limits/destination-kind.js';
import { DeliveryRun, DeliveryStop } from './delivery-run.js';
import { redactText } from '../logging/log-redaction.js';

/** The `channel` of an event about a delivery that named none of the app's channels. */
const UNKNOWN_CHANNEL = 'unknown';
/** The enrolments a replica remembers ending (`ENDED_ENROLMENT_MS` each) at most, oldest forgotten first. */
const ENDED_ENROLMENTS_MAX = 10_000;

/**
 * The one path every OTP delivery takes: check the destination for the channel and count the send
 * against the fraud and rate controls (`OtpSendControls`), render the message for the channel and
 * locale, send it through the channel within the deadline, fall back to the next configured channel
 * when it fails (checked and counted again, for its own destination), and answer a typed receipt,
 * an `OtpSendRefusedError` (the controls refused: nothing sent) or an `OtpDeliveryError` saying
 * why. Every step is published on `OtpDeliveryEvents` with a masked destination, never the code.
 *
 * @example
 * const receipt = await delivery.deliver({
 *   code: new SecretValue(otpValue),
 *   channel: 'sms',
 *   destination: '+819012345678',
 *   context: { locale: 'ja-JP', panLastFour: '1234', walletProviderId: 'APPLE_PAY', expiresInSeconds: 600, correlationId },
 * });
 */
@Injectable()
export class OtpDeliveryService {
  readonly #options: ResolvedDeliveryOptions;
  readonly #enrolments = new Map<string, Set<DeliveryRun>>();
  /** Enrolments ended by `cancelEnrolment`, with when they stop refusing deliveries. */
  readonly #ended = new Map<string, number>();

  /** @internal Created by Nest's DI. */
  constructor(
    @Inject(DELIVERY_OPTIONS) options: ResolvedDeliveryOptions,
    @Inject(OTP_CHANNELS) private readonly channels: ReadonlyMap<string, OtpChannel>,
    private readonly renderer: OtpTemplateRenderer,
    private readonly events: OtpDeliveryEvents,
    private readonly controls: OtpSendControls,
  ) {
    this.#options = options;
  }

  /** @internal The channels a failed delivery on `channel` falls back to, in order (`delivery.fallback`; none by default). */
  fallbacksOf(channel: string): readonly string[] {
    return this.#options.fallback.get(channel) ?? [];
  }

  /**
   * @internal Whether `deliverChecked` would count and try the first hop of `request`: false when it
   * refuses the request before any hop (a field of the wrong type, an ended enrolment) or the app has
   * no such channel. The callbacks count a send's first hop with their claim only when this holds,
   * so a request refused as given is never counted.
   */
  triesFirstHop(request: CheckedDeliveryRequest): boolean {
    if (!this.channels.has(request.channel) || requestProblem(request, this.fallbacksOf(request.channel))) return false;
    const enrolmentId = request.context?.enrolmentId;
    return enrolmentId == null || !this.enrolmentEnded(enrolmentId);
  }

  /** Names of the channels deliveries can route to. */
  get channelNames(): string[] {
    return [...this.channels.keys()];
  }

  /**
   * Delivers a code. Resolves once a channel's provider accepted the message; rejects with an
   * `OtpSendRefusedError` when the fraud and rate controls refuse the send (premium rate, not
   * mobile, country, a limit, the store down with `failMode: 'closed'`), or an `OtpDeliveryError`
   * (`invalid-destination`, `unknown-channel`, `rejected`, `timeout`, `cancelled`, `unavailable`).
   * Never takes longer than `delivery.deadlineMs`.
   */
  deliver(request: OtpDeliveryRequest): Promise<OtpDeliveryReceipt> {
    // Only the callbacks count a first hop with their claim: a caller's own flag (plain JavaScript
    // sees no types) must not let a send past the limits uncounted.
    const fromCaller = request as CheckedDeliveryRequest;
    return this.deliverChecked(fromCaller.firstHopCounted === undefined ? fromCaller : { ...fromCaller, firstHopCounted: undefined });
  }

  /** @internal `deliver` with a destination the module parsed already (not parsed again). */
  deliverChecked(request: CheckedDeliveryRequest): Promise<OtpDeliveryReceipt> {
    const deliveryId = createDeliveryId();
    return traced('otp.deliver', { attributes: { 'otp.channel': request.channel, 'otp.delivery_id': deliveryId } }, async (span) => {
      const receipt = await this.#deliver(request, deliveryId);
      span.setAttribute('otp.delivered_by', receipt.channel);
      return receipt;
    });
  }

  async #deliver(asGiven: CheckedDeliveryRequest, deliveryId: string): Promise<OtpDeliveryReceipt> {
    const fallbacks = this.fallbacksOf(asGiven.channel);
    // A request that cannot be sent is refused before any hop is counted against the limits.
    const problem = requestProblem(asGiven, fallbacks);
    const request = problem ? asGiven : withoutNulls(asGiven);
    // Events reach subscribers that forward them (audit, SIEM): the id is scrubbed as in the logs.
    const id = request.context?.correlationId;
    const correlationId = typeof id === 'string' ? redactText(id) : undefined;
    if (problem) this.#refuseBeforeAnyHop(request, deliveryId, correlationId, problem.reason, problem.detail);
    const enrolmentId = request.context?.enrolmentId;
    if (enrolmentId !== undefined && this.enrolmentEnded(enrolmentId)) {
      this.#refuseBeforeAnyHop(request, deliveryId, correlationId, 'cancelled', 'the enrolment was cancelled before this delivery');
    }
    const chain = [request.channel, ...fallbacks];
    const attempts: OtpDeliveryAttempt[] = [];
    // Nothing that can throw between starting the deadline and the `try` whose `finally` ends it.
    const run = new DeliveryRun(this.#options.deadlineMs, request.signal);
    try {
      if (enrolmentId) this.#track(enrolmentId, run);
      for (const [index, channelName] of chain.entries()) {
        const { destinations } = request;
        const given = index === 0 ? request.destination : ((destinations && Object.hasOwn(destinations, channelName) ? destinations[channelName] : undefined) ?? request.destination);
        let destinationMasked = '';
        try {
          const channel = this.#channel(channelName, deliveryId);
          // Every hop is checked for its own channel and counted before anything leaves: a refusal
          // (OtpSendRefusedError) ends the delivery, an unusable destination fails only this hop.
          const checked =
            index === 0 && request.firstHopCounted
              ? this.controls.vet(destinationKindOf(channelName, channel.destinationKind), given)
              : await run.race(
                  this.controls.admit({ channel: channelName, kind: channel.destinationKind, destination: given, cardRef: request.cardRef, clientId: request.clientId }),
                );
          destinationMasked = maskDestination(checked.destination);
          this.events.emit({ type: 'requested', deliveryId, channel: channelName, destinationMasked, correlationId, at: new Date() });
          const receipt = await traced(`otp.channel ${channelName}`, { attributes: { 'otp.channel': channelName } }, () =>
            this.#attempt(request, channel, checked, deliveryId, run),
          );
          this.events.emit({ type: 'sent', deliveryId, channel: channelName, destinationMasked, correlationId, at: new Date() });
          return { deliveryId, channel: channelName, destinationMasked, acceptedAt: receipt.acceptedAt, parts: receipt.parts, providerMessageId: receipt.providerMessageId };
        } catch (error) {
          if (error instanceof OtpSendRefusedError) throw error;
          const failure = this.#toDeliveryError(error, channelName, deliveryId, run.signal, [...attempts]);
          attempts.push({ channel: channelName, reason: failure.reason });
          // Masked late: most deliveries never fail, and a refused destination was never checked.
          destinationMasked ||= maskDestination(destinationText(given));
          this.events.emit({ type: 'failed', deliveryId, channel: this.#eventChannel(channelName), destinationMasked, correlationId, reason: failure.reason, at: new Date() });
          const last = index === chain.length - 1 || failure.reason === 'timeout' || failure.reason === 'cancelled';
          if (last) {
            throw attempts.length > 1
              ? new OtpDeliveryError(failure.reason, failure.channel, deliveryId, failure.retryable, failure.detail, attempts, failure.cause)
              : failure;
          }
        }
      }
      throw new OtpDeliveryError('unknown-channel', request.channel, deliveryId, false); // unreachable: the chain is never empty
    } finally {
      run.end();
      if (enrolmentId) this.#untrack(enrolmentId, run);
    }
  }

  /**
   * Stops the pending deliveries of an enrolment (the cardholder left, the token was deleted):
   * they reject with `cancelled`, and so does a delivery of it that starts within the next ten
   * minutes (a delayed or retried callback of the same step-up). On this replica only: a
   * `notifyVirtualCardChange` `DELETE` also leaves a mark in the `OtpStore`, which the tokenization
   * callbacks of every replica check before they send (a `deliver()` of your own does not).
   */
  cancelEnrolment(enrolmentId: string): void {
    this.#ended.delete(enrolmentId);
    if (this.#ended.size >= ENDED_ENROLMENTS_MAX) this.#ended.delete(this.#ended.keys().next().value as string);
    this.#ended.set(enrolmentId, Date.now() + ENDED_ENROLMENT_MS);
    const pending = this.#enrolments.get(enrolmentId);
    if (!pending) return;
    this.#enrolments.delete(enrolmentId);
    for (const run of pending) run.stop('cancelled');
  }

  /** @internal Whether `cancelEnrolment` ended this enrolment within the last ten minutes (this replica). */
  enrolmentEnded(enrolmentId: string): boolean {
    const until = this.#ended.get(enrolmentId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.#ended.delete(enrolmentId);
    return false;
  }

  /** Refuses a delivery before any hop is counted or tried: one `failed` event, then the error. */
  #refuseBeforeAnyHop(request: CheckedDeliveryRequest, deliveryId: string, correlationId: string | undefined, reason: RequestProblem['reason'] | 'cancelled', detail: string): never {
    const destinationMasked = maskDestination(destinationText(request.destination));
    this.events.emit({ type: 'failed', deliveryId, channel: this.#eventChannel(request.channel), destinationMasked, correlationId, reason, at: new Date() });
    throw new OtpDeliveryError(reason, request.channel, deliveryId, false, detail);
  }

  /** A name no channel has is the caller's text: neither an event field nor a metric label. */
  #eventChannel(channelName: string): string {
    return this.channels.has(channelName) ? channelName : UNKNOWN_CHANNEL;
  }

  #channel(channelName: string, deliveryId: string): OtpChannel {
    const channel = this.channels.get(channelName);
    if (!channel) {
      throw new OtpDeliveryError('unknown-channel', channelName, deliveryId, false, `channels are ${this.channelNames.join(', ') || 'none'}`);
    }
    return channel;
  }

  async #attempt(request: CheckedDeliveryRequest, channel: OtpChannel, destination: CheckedDestination, deliveryId: string, run: DeliveryRun): Promise<OtpChannelReceipt> {
    const signal = run.signal;
    if (signal.aborted) throw signal.reason;
    const rendered = this.renderer.render(channel.name, request.code, request.context);
    let sending: Promise<OtpChannelReceipt>;
    try {
      // A channel that throws instead of rejecting fails this hop the same way.
      sending = Promise.resolve(
        channel.deliver({
          deliveryId,
          destination: destination.destination,
          phone: destination.phone,
          text: rendered.text,
          subject: rendered.subject,
          html: rendered.html,
          locale: rendered.locale,
          validitySeconds: request.context?.expiresInSeconds,
          signal,
        }),
      );
    } catch (error) {
      sending = Promise.reject(error as Error);
    }
    return run.race(sending);
  }

  #toDeliveryError(error: unknown, channel: string, deliveryId: string, signal: AbortSignal, previous: OtpDeliveryAttempt[]): OtpDeliveryError {
    if (error instanceof OtpDeliveryError) return error;
    if (error instanceof InvalidDestinationError) {
      return new OtpDeliveryError('invalid-destination', channel, deliveryId, false, error.message, [...previous, { channel, reason: 'invalid-destination' }], error);
    }
    const stopped = signal.aborted ? (signal.reason as DeliveryStop | undefined) : undefined;
    if (stopped instanceof DeliveryStop) {
      const detail = stopped.reason === 'timeout' ? `no answer within ${this.#options.deadlineMs} ms` : 'cancelled by the caller';
      return new OtpDeliveryError(stopped.reason, channel, deliveryId, stopped.reason === 'timeout', detail, [...previous, { channel, reason: stopped.reason }], error);
    }
    if (error instanceof OtpChannelError) {
      return new OtpDeliveryError(error.reason, channel, deliveryId, error.retryable, error.message, [...previous, { channel, reason: error.reason }], error);
    }
    // An unknown error from an issuer's channel: its message may hold anything, so it stays in `cause`.
    return new OtpDeliveryError('unavailable', channel, deliveryId, false, 'the channel failed with an unexpected error', [...previous, { channel, reason: 'unavailable' }], error);
  }

  #track(enrolmentId: string, run: DeliveryRun): void {
    let pending = this.#enrolments.get(enrolmentId);
    if (!pending) this.#enrolments.set(enrolmentId, (pending = new Set()));
    pending.add(run);
  }

  #untrack(enrolmentId: string, run: DeliveryRun): void {
    const pending = this.#enrolments.get(enrolmentId);
    pending?.delete(run);
    if (pending?.size === 0) this.#enrolments.delete(enrolmentId);
  }
}
