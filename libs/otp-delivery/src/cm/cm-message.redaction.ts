import type { SecretValue } from '../common/secret-value.js';
import { redactText } from '../logging/log-redaction.js';
import { redactProductToken } from './cm-product-token.redaction.js';

const MAX_LENGTH = 200;

/** What a CM text may echo that must not leave with it. */
export interface CmEchoedSecrets {
  /** The code, or the SMS text holding it: every run of 4 digits or more in it is masked. */
  readonly secretText?: string;
  /** The configured product token (`cm.productToken`). */
  readonly productToken?: SecretValue;
}

/**
 * Makes CM's error text safe to carry in an error, a log line, a health answer or an event. CM
 * sometimes echoes request fields, so the product token (and any GUID) is removed first, then
 * every digit run of 4 or more found in `secretText` and every phone-like digit run is masked,
 * email addresses too, and the text is cut to a log-friendly size.
 */
export function redactCmMessage(message: string | undefined, secrets: CmEchoedSecrets = {}): string | undefined {
  if (message === undefined) return undefined;
  const secretDigits = new Set(secrets.secretText?.match(/\d{4,}/g) ?? []);
  // The token goes before the digit masks: they would cut a digit-heavy token into pieces and leave
  // the rest of it readable.
  let safe = redactProductToken(message, secrets.productToken);
  // A digit run that is a secret goes first (an 8-digit code would otherwise be masked as a phone
  // and keep its last 4); a secret inside a longer phone-like run is covered by the phone mask.
  safe = safe.replace(/\d+/g, (digits) => (secretDigits.has(digits) ? '[redacted]' : digits));
  safe = safe.replace(/\+?\d[\d\s-]{5,}\d/g, (digits) => {
    const plain = digits.replace(/\D/g, '');
    return '*'.repeat(Math.max(plain.length - 4, 0)) + plain.slice(-4);
  });
  for (const secret of secretDigits) safe = safe.split(secret).join('[redacted]');
  // Then what the logs mask in any text: email addresses, URL credentials, PAN-like runs.
  safe = redactText(safe);
  return safe.length > MAX_LENGTH ? `${safe.slice(0, MAX_LENGTH)}...` : safe;
}
