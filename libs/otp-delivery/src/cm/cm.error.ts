import { OtpValidationError } from '../otp/otp-validation.error.js';

/** Why a CM call failed, in the terms a caller acts on. */
export type CmFailureReason =
  /** CM answered and refused the request (validation, spam filter, balance, ...). */
  | 'rejected'
  /** CM refused the product token. */
  | 'unauthorized'
  /** No answer within `requestTimeoutMs`: the request may have reached CM. */
  | 'timeout'
  /** The caller's `AbortSignal` fired. */
  | 'cancelled'
  /** CM could not be reached, or answered with a transient server error. */
  | 'unavailable'
  /** No product token is configured. */
  | 'not-configured';

/** Fields of a `CmError`. */
export interface CmErrorDetails {
  readonly reason: CmFailureReason;
  /** HTTP status CM answered; 0 when no answer arrived. */
  readonly status: number;
  /** CM's own error code (Business Messaging `errorCode`/`messageErrorCode`, OTP v2 code), when it gave one. */
  readonly cmErrorCode?: number;
  /** CM's message (at most 200 characters), with any echoed code, product token, GUID, email address and phone-like digits redacted. */
  readonly cmMessage?: string;
  /** True only when nothing was sent and a retry may succeed. */
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/**
 * A CM.com call failed. The message names the API, the status and CM's code; it never holds the
 * product token, the OTP or the request body.
 */
export class CmError extends Error {
  override readonly name = 'CmError';
  readonly reason: CmFailureReason;
  readonly status: number;
  readonly cmErrorCode?: number;
  readonly cmMessage?: string;
  readonly retryable: boolean;

  constructor(
    /** Which call failed, e.g. `Business Messaging` or `OTP v2 verify`. */
    readonly api: string,
    details: CmErrorDetails,
  ) {
    const code = details.cmErrorCode === undefined ? '' : `, CM error ${details.cmErrorCode}`;
    const text = details.cmMessage ? `: ${details.cmMessage}` : '';
    super(`${api} failed (${details.reason}, HTTP ${details.status}${code})${text}`, { cause: details.cause });
    this.reason = details.reason;
    this.status = details.status;
    this.cmErrorCode = details.cmErrorCode;
    this.cmMessage = details.cmMessage;
    this.retryable = details.retryable;
  }
}

/**
 * An input breaks one of CM's rules; thrown before any network call. `field` names the input
 * (`to`, `digits`, `message`, ...), `reason` the rule, never the value.
 */
export class CmValidationError extends OtpValidationError {
  override readonly name: string = 'CmValidationError';
}
