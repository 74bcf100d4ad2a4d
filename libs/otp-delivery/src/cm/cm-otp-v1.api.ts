import type { OtpGenerated, OtpVerification } from '../otp/otp-engine.interface.js';
import { CM_OTP_V1_STATUSES, meaningOfHttpStatus } from './cm-error-codes.js';
import type { SecretValue } from '../common/secret-value.js';
import type { CmHttpResponse } from './cm-http.client.js';
import { redactCmMessage, type CmEchoedSecrets } from './cm-message.redaction.js';
import { readCmTime, readOtpError } from './cm-otp-answer.js';
import type { CheckedOtpRequest } from './cm-otp.validation.js';
import { CmError } from './cm.error.js';

export const V1_GENERATE_PATH = '/v1.0/otp/generate';
export const V1_VERIFY_PATH = '/v1.0/otp/verify';

/** The `POST /v1.0/otp/generate` body. */
export function v1GenerateBody(request: CheckedOtpRequest): Record<string, unknown> {
  return {
    recipient: request.to,
    sender: request.from,
    length: request.digits,
    expiry: request.expirySeconds,
    ...(request.channel === 'push' ? { allowPush: true, appKey: request.appKey } : {}),
    ...(request.channel === 'voice' ? { allowVoice: true, ...(request.locale ? { voiceLanguage: request.locale.slice(0, 2) } : {}) } : {}),
    ...(request.message === undefined ? {} : { message: request.message }),
  };
}

/** Maps the generate answer: 200 with an id, else `CmError` by status (scrubbed of `productToken`, which CM may echo). */
export function v1Generated(response: CmHttpResponse, request: CheckedOtpRequest, now: Date, productToken?: SecretValue): OtpGenerated {
  const body = response.json as { id?: unknown; createdAt?: unknown; expireAt?: unknown } | undefined;
  if (response.status !== 200 || typeof body?.id !== 'string' || body.id === '') throw v1Error('OTP v1 generate', response, { productToken });
  return {
    id: body.id,
    channel: request.channel,
    createdAt: readCmTime(body.createdAt) ?? now,
    expiresAt: readCmTime(body.expireAt) ?? new Date(now.getTime() + request.expirySeconds * 1000),
  };
}

/**
 * Maps the verify answer. v1 says only `valid` (a boolean, or `"true"` on one old page), so a
 * refused code is `wrong-code` whatever the cause (a used code is told apart by `CmOtpService`).
 * CM's error body is unconfirmed: a 404 is an id CM does not know (`not-found`), whatever its
 * body; a 400 gives its reason only through its text, and one that names none is an error
 * (scrubbed of `code` and `productToken`, which CM may echo).
 */
export function v1Verification(response: CmHttpResponse, code: string, productToken?: SecretValue): OtpVerification {
  const body = response.json as { valid?: unknown } | undefined;
  // `in` on a bare JSON value (`true`, `"ok"`) would throw a TypeError: only an object answers.
  if (response.status === 200 && typeof body === 'object' && body !== null && !Array.isArray(body) && 'valid' in body) {
    const valid = body.valid === true || (typeof body.valid === 'string' && body.valid.toLowerCase() === 'true');
    return valid ? { verified: true } : { verified: false, reason: 'wrong-code' };
  }
  const { message } = readOtpError(response);
  const reason = reasonFromText(message) ?? (response.status === 404 ? 'not-found' : undefined);
  if ((response.status === 400 || response.status === 404) && reason) return { verified: false, reason };
  throw v1Error('OTP v1 verify', response, { secretText: code, productToken });
}

function reasonFromText(text: string | undefined): Exclude<OtpVerification, { verified: true }>['reason'] | undefined {
  if (!text) return undefined;
  // About the id only: "Unknown error" or "unknown property" is a request error, not an unknown id.
  if (/not\s*found|unknown\s+(?:otp\s*)?id\b|does\s*not\s*exist|invalid\s*id\b/i.test(text)) return 'not-found';
  if (/expired/i.test(text)) return 'expired';
  if (/already/i.test(text)) return 'already-verified';
  if (/attempt/i.test(text)) return 'too-many-attempts';
  return undefined;
}

/** CM's refusal as a `CmError`; its words are scrubbed of what it may echo from the request (`secrets`). */
function v1Error(api: string, response: CmHttpResponse, secrets: CmEchoedSecrets): CmError {
  const meaning = CM_OTP_V1_STATUSES[response.status] ?? meaningOfHttpStatus(response.status);
  const { message } = readOtpError(response);
  return new CmError(api, {
    reason: response.status === 200 ? 'rejected' : meaning.reason,
    status: response.status,
    cmMessage: redactCmMessage(message ?? (response.status === 200 ? 'answer without the expected fields' : meaning.description), secrets),
    retryable: response.status === 200 ? false : meaning.retryable,
  });
}
