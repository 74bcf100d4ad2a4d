import { HttpException } from '@nestjs/common';
import { CallbackValidationError } from './errors/callback-validation.error.js';
import { UnknownOtpMethodError } from './errors/unknown-otp-method.error.js';
import { UnknownCardholderError } from './errors/unknown-cardholder.error.js';
import { CallerRefusedError } from './errors/caller-refused.error.js';
import { NoContactForChannelError } from './errors/no-contact-for-channel.error.js';
import { EnrolmentEndedError } from './errors/enrolment-ended.error.js';
import { ExpiredOtpError } from './errors/expired-otp.error.js';
import { OtpDeliveryError } from '../delivery/otp-delivery.error.js';
import { OtpSendRefusedError } from '../limits/otp-send-refused.error.js';

/** The Thales error body: `{ responseCode, errorMessage }` (`errorMessage` is **unconfirmed**). */
export interface CallbackErrorBody {
  readonly responseCode?: number;
  readonly errorMessage: string;
}

/** An HTTP answer of a callback, as stored for idempotent replays. */
export interface CallbackOutcome {
  readonly status: number;
  readonly body: CallbackErrorBody | Record<string, never> | undefined;
}

/** What an error answers; `unexpected` ones (921, 5xx) are retried by the platform, so never stored. */
export interface CallbackErrorResponse extends CallbackOutcome {
  readonly body: CallbackErrorBody;
  readonly unexpected: boolean;
}

export const UNEXPECTED_ERROR: CallbackErrorResponse = {
  status: 500,
  body: { responseCode: 921, errorMessage: 'Unexpected server error' },
  unexpected: true,
};

/**
 * Maps an error onto the answer the tokenization platform understands. Messages are fixed texts
 * or name a field: never the OTP, a destination or a card reference.
 */
export function toCallbackErrorResponse(error: unknown): CallbackErrorResponse {
  if (error instanceof CallbackValidationError) {
    return { status: 400, body: { responseCode: error.responseCode, errorMessage: error.message }, unexpected: false };
  }
  if (error instanceof UnknownOtpMethodError) {
    return { status: 400, body: { responseCode: 501, errorMessage: 'Invalid otpMethodId' }, unexpected: false };
  }
  if (error instanceof CallerRefusedError) {
    return { status: error.status, body: { errorMessage: error.message }, unexpected: false };
  }
  if (error instanceof UnknownCardholderError) {
    return { status: 404, body: { errorMessage: error.message }, unexpected: false };
  }
  if (error instanceof OtpSendRefusedError) {
    // A store outage under `failMode: 'closed'` is no fraud verdict: 921 lets the platform retry.
    if (error.reason === 'store-unavailable') return UNEXPECTED_ERROR;
    return { status: 400, body: { responseCode: 164, errorMessage: 'Refused by fraud and rate controls' }, unexpected: false };
  }
  if (error instanceof ExpiredOtpError) {
    return { status: 400, body: { responseCode: 911, errorMessage: 'The OTP has expired' }, unexpected: false };
  }
  if (error instanceof NoContactForChannelError || error instanceof OtpDeliveryError || error instanceof EnrolmentEndedError) {
    return { status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' }, unexpected: false };
  }
  if (error instanceof HttpException) {
    // e.g. a replacement caller guard that answers false (403 from Nest).
    const status = error.getStatus();
    return { status, body: { errorMessage: status === 403 ? 'Forbidden' : 'Request refused' }, unexpected: status >= 500 };
  }
  return UNEXPECTED_ERROR;
}
