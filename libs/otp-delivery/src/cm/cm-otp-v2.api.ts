import type { OtpChannelName, OtpGenerated, OtpRejectionReason, OtpVerification } from '../otp/otp-engine.interface.js';
import { CM_OTP_V2_CODES, meaningOfHttpStatus } from './cm-error-codes.js';
import type { SecretValue } from '../common/secret-value.js';
import type { CmHttpResponse } from './cm-http.client.js';
import { redactCmMessage, type CmEchoedSecrets } from './cm-message.redaction.js';
import { readCmTime, readOtpError } from './cm-otp-answer.js';
import type { CheckedOtpRequest } from './cm-otp.validation.js';
import { CmError } from './cm.error.js';

export const V2_CREATE_PATH = '/otp/v2/otp';
export const v2VerifyPath = (id: string): string => `/otp/v2/otp/${encodeURIComponent(id)}/verify`;

const VERIFY_OUTCOMES: Readonly<Record<number, OtpRejectionReason>> = {
  3001: 'not-found',
  3002: 'expired',
  3003: 'already-verified',
  3004: 'too-many-attempts',
};

/** The `POST /otp/v2/otp` body. */
export function v2CreateBody(request: CheckedOtpRequest): Record<string, unknown> {
  return {
    channel: request.channel,
    from: request.from,
    to: request.to,
    digits: request.digits,
    expiry: request.expirySeconds,
    ...(request.message === undefined ? {} : { message: request.message }),
    ...(request.channel === 'push' ? { pushAppKey: request.appKey } : {}),
    ...(request.locale === undefined ? {} : { locale: request.locale }),
  };
}

/** Maps the create answer: 200 with an id, else `CmError` by CM code, then by status (scrubbed of `productToken`, which CM may echo). */
export function v2Generated(response: CmHttpResponse, request: CheckedOtpRequest, now: Date, productToken?: SecretValue): OtpGenerated {
  const body = response.json as { id?: unknown; channel?: unknown; createdAt?: unknown; expiresAt?: unknown } | undefined;
  if (response.status !== 200 || typeof body?.id !== 'string' || body.id === '') throw v2Error('OTP v2 create', response, { productToken });
  return {
    id: body.id,
    channel: typeof body.channel === 'string' ? (body.channel as OtpChannelName) : request.channel,
    createdAt: readCmTime(body.createdAt) ?? now,
    expiresAt: readCmTime(body.expiresAt) ?? new Date(now.getTime() + request.expirySeconds * 1000),
  };
}

/**
 * Maps the verify answer: 200 `verified`, 404 not found, 400 with 3002-3004 (or their text). A
 * `CmError` is scrubbed of `code` and `productToken`, which CM may echo.
 */
export function v2Verification(response: CmHttpResponse, code: string, productToken?: SecretValue): OtpVerification {
  const body = response.json as { verified?: unknown } | undefined;
  // `in` on a bare JSON value (`true`, `"ok"`) would throw a TypeError: only an object answers.
  if (response.status === 200 && typeof body === 'object' && body !== null && !Array.isArray(body) && 'verified' in body) {
    const verified = body.verified === true || body.verified === 'true';
    return verified ? { verified: true } : { verified: false, reason: 'wrong-code' };
  }
  const error = readOtpError(response);
  const byCode = error.code === undefined ? undefined : VERIFY_OUTCOMES[error.code];
  if (byCode) return { verified: false, reason: byCode };
  if (response.status === 404) return { verified: false, reason: 'not-found' };
  // No code, or one that is no verify outcome (an envelope's `code: 400`): the text may still say why.
  if (response.status === 400 && error.message) {
    if (/expired/i.test(error.message)) return { verified: false, reason: 'expired' };
    if (/already/i.test(error.message)) return { verified: false, reason: 'already-verified' };
    if (/attempt/i.test(error.message)) return { verified: false, reason: 'too-many-attempts' };
  }
  throw v2Error('OTP v2 verify', response, { secretText: code, productToken });
}

/** CM's refusal as a `CmError`; its words are scrubbed of what it may echo from the request (`secrets`). */
function v2Error(api: string, response: CmHttpResponse, secrets: CmEchoedSecrets): CmError {
  const error = readOtpError(response);
  const meaning = (error.code === undefined ? undefined : CM_OTP_V2_CODES[error.code]) ?? meaningOfHttpStatus(response.status);
  const ok = response.status === 200;
  return new CmError(api, {
    reason: ok ? 'rejected' : meaning.reason,
    status: response.status,
    cmErrorCode: error.code,
    cmMessage: redactCmMessage(error.message ?? (ok ? 'answer without the expected fields' : meaning.description), secrets),
    retryable: ok ? false : meaning.retryable,
  });
}
