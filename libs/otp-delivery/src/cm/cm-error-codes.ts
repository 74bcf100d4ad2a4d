import type { CmFailureReason } from './cm.error.js';

/** What one CM error code means for the caller. */
export interface CmCodeMeaning {
  readonly description: string;
  readonly reason: CmFailureReason;
  /** True when nothing was sent and trying again may succeed. */
  readonly retryable: boolean;
}

const rejected = (description: string): CmCodeMeaning => ({ description, reason: 'rejected', retryable: false });

/**
 * Business Messaging `errorCode` / `messageErrorCode`. Only CM's internal error before acceptance
 * would be worth a retry, but its 500 does not say whether the message was created, so no code here
 * is retryable: a duplicate OTP SMS costs money and confuses the cardholder.
 */
export const CM_MESSAGING_CODES: Readonly<Record<number, CmCodeMeaning>> = {
  0: { description: 'OK', reason: 'rejected', retryable: false },
  101: { description: 'authentication failed', reason: 'unauthorized', retryable: false },
  102: rejected('insufficient balance'),
  103: { description: 'unknown or disabled product token', reason: 'unauthorized', retryable: false },
  201: rejected('some messages failed'),
  202: rejected('malformed request'),
  203: rejected("invalid 'msg' array"),
  301: rejected('invalid from'),
  302: rejected('invalid to'),
  303: rejected('invalid MSISDN'),
  304: rejected('invalid body'),
  305: rejected('invalid field'),
  401: rejected('spam filtered'),
  402: rejected('destination blacklisted'),
  403: rejected('message rejected'),
  500: { description: 'internal error at CM', reason: 'unavailable', retryable: false },
  999: { description: 'unknown error', reason: 'unavailable', retryable: false },
};

/** OTP API v1 HTTP statuses (v1 has no error codes of its own). */
export const CM_OTP_V1_STATUSES: Readonly<Record<number, CmCodeMeaning>> = {
  400: rejected('validation error'),
  401: { description: 'product token refused', reason: 'unauthorized', retryable: false },
  403: { description: 'product token refused', reason: 'unauthorized', retryable: false },
  422: { description: 'could not send the OTP', reason: 'unavailable', retryable: true },
  500: { description: 'unknown error', reason: 'unavailable', retryable: false },
};

/** OTP API v2 error codes. 3001-3004 are verify outcomes; they reach a `CmError` only from `generate`. */
export const CM_OTP_V2_CODES: Readonly<Record<number, CmCodeMeaning>> = {
  1000: { description: 'unknown error', reason: 'unavailable', retryable: false },
  1001: rejected('invalid request'),
  2000: rejected('invalid field'),
  2001: rejected('invalid channel'),
  2002: rejected('invalid from'),
  2003: rejected('invalid to'),
  2004: rejected('invalid message'),
  2005: rejected('invalid digits'),
  2006: rejected('invalid expiry'),
  2007: rejected('invalid locale'),
  2008: rejected('invalid pushAppKey'),
  2009: rejected('invalid field'),
  3001: rejected('OTP not found'),
  3002: rejected('OTP expired'),
  3003: rejected('OTP already verified'),
  3004: rejected('too many attempts'),
  3005: rejected('channel not configured'),
  3006: rejected('subscription required'),
  4001: { description: 'failed to send', reason: 'unavailable', retryable: true },
};

/** Meaning of an HTTP status when CM gave no code we know. */
export function meaningOfHttpStatus(status: number): CmCodeMeaning {
  if (status === 401 || status === 403) return { description: 'product token refused', reason: 'unauthorized', retryable: false };
  // 429 and 503 are answered before CM accepts anything: trying later is safe.
  if (status === 429 || status === 503) return { description: 'service unavailable', reason: 'unavailable', retryable: true };
  if (status >= 500) return { description: 'server error', reason: 'unavailable', retryable: false };
  return rejected('request refused');
}
