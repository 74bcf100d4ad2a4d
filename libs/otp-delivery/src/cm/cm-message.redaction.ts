const MAX_LENGTH = 200;

/**
 * Makes CM's error text safe to carry in an error. CM sometimes echoes request fields, so every
 * digit run of 4 or more found in `secretText` (the code, or the SMS text holding it) and every
 * phone-like digit run is masked, and the text is cut to a log-friendly size.
 */
export function redactCmMessage(message: string | undefined, secretText?: string): string | undefined {
  if (message === undefined) return undefined;
  let safe = message;
  for (const secret of new Set(secretText?.match(/\d{4,}/g) ?? [])) safe = safe.split(secret).join('[redacted]');
  safe = safe.replace(/\+?\d[\d\s-]{5,}\d/g, (digits) => {
    const plain = digits.replace(/\D/g, '');
    return '*'.repeat(Math.max(plain.length - 4, 0)) + plain.slice(-4);
  });
  return safe.length > MAX_LENGTH ? `${safe.slice(0, MAX_LENGTH)}...` : safe;
}
