import { Injectable } from '@nestjs/common';
import { CmMessagingClient } from '../cm/cm-messaging.client.js';
import { CmError, CmValidationError } from '../cm/cm.error.js';
import type { OtpChannel, OtpChannelMessage, OtpChannelReceipt } from './otp-channel.interface.js';
import { OtpChannelError } from './otp-channel.error.js';

/** Business Messaging codes that mean the number itself is wrong: 302 invalid to, 303 invalid MSISDN. */
const BAD_NUMBER_CODES = new Set([302, 303]);
/** Fields of the CM request that carry the destination. */
const DESTINATION_FIELDS = new Set(['to', 'recipient']);

/**
 * The built-in SMS channel: CM.com Business Messaging through `CmMessagingClient`. The delivery id
 * is CM's `reference` (echoed in status reports), and the SMS is valid no longer than the code.
 */
@Injectable()
export class SmsChannel implements OtpChannel {
  readonly name = 'sms';
  readonly destinationKind = 'phone';

  constructor(private readonly cm: CmMessagingClient) {}

  /** Sends the SMS; resolves once CM accepted it for delivery. */
  async deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    try {
      const result = await this.cm.send(
        // The number the send path parsed: CM's client does not parse it again.
        { to: message.phone ?? message.destination, text: message.text, reference: message.deliveryId, validitySeconds: smsValidity(message.validitySeconds) },
        { signal: message.signal },
      );
      return { providerMessageId: result.reference, parts: result.parts, acceptedAt: result.acceptedAt };
    } catch (error) {
      throw this.#mapError(error, message.signal);
    }
  }

  #mapError(error: unknown, signal: AbortSignal | undefined): unknown {
    // An abort is the delivery service's to explain (deadline or cancellation).
    if (signal?.aborted) return signal.reason ?? error;
    if (error instanceof CmValidationError) {
      const reason = DESTINATION_FIELDS.has(error.field) ? 'invalid-destination' : 'rejected';
      return new OtpChannelError(this.name, reason, error.message, { retryable: false, cause: error });
    }
    if (error instanceof CmError) {
      if (error.reason === 'rejected') {
        const reason = error.cmErrorCode !== undefined && BAD_NUMBER_CODES.has(error.cmErrorCode) ? 'invalid-destination' : 'rejected';
        return new OtpChannelError(this.name, reason, error.message, { retryable: false, cause: error });
      }
      return new OtpChannelError(this.name, 'unavailable', error.message, { retryable: error.retryable, cause: error });
    }
    return new OtpChannelError(this.name, 'unavailable', 'SMS send failed', { retryable: false, cause: error });
  }
}

/**
 * CM's validity is whole minutes, at least one. A code valid for less than a minute still gets
 * an SMS (valid one minute) rather than none; a longer one is rounded down so the SMS never
 * outlives it by more than that.
 */
function smsValidity(seconds: number | undefined): number | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.max(60, Math.floor(seconds / 60) * 60);
}
