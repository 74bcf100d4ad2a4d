import { redactText } from '../logging/log-redaction.js';

const MAX_LENGTH = 200;

/**
 * Makes CM's error text safe to carry in an error. CM sometimes echoes request fields, so every
 * digit run of 4 or more found in `secretText` (the code, or the SMS text holding it) and every
 * phone-like digit run is masked, email addresses too, and the text is cut to a log-friendly size.
 */
export function redactCmMessage(message: string | undefined, secretText?: string): string | undefined {
  if (message === undefined) return undefined;
  const secrets = new Set(secretText?.match(/\d{4,}/g) ?? []);
  // A digit run that is a secret goes first (an 8-digit code would otherwise be masked as a phone
  // and keep its last 4); a secret inside a longer phone-like run is covered by the phone mask.
  let safe = message.replace(/\d+/g, (digits) => (secrets.has(digits) ? '[redacted]' : digits));
  safe = safe.replace(/\+?\d[\d\s-]{5,}\d/g, (digits) => {
    const plain = digits.replace(/\D/g, '');
    return '*'.repeat(Math.max(plain.length - 4, 0)) + plain.slice(-4);
  });
  for (const secret of secrets) safe = safe.split(secret).join('[redacted]');
  // Then what the logs mask in any text: email addresses, URL credentials, PAN-like runs.
  safe = redactText(safe);
  return safe.length > MAX_LENGTH ? `${safe.slice(0, MAX_LENGTH)}...` : safe;
}
