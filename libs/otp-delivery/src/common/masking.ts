/**
 * Masking of personal and card data for logs, events, error messages and `idvMethodList` values.
 * The conventions follow the industry usage in the spec: a phone shows its last 4 digits, an email
 * its first 2 characters and its domain, a PAN at most its last 4 digits (PCI DSS 3.4.1).
 */

/** `+819012345678` -> `********5678`. Non-digits are dropped first, so formatting never leaks digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** `taro.yamada@example.com` -> `ta*********@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '*'.repeat(email.length);
  const local = email.slice(0, at);
  const visible = local.slice(0, Math.min(2, Math.max(0, local.length - 1)));
  return visible + '*'.repeat(Math.max(local.length - visible.length, 1)) + email.slice(at);
}

/** Masks a destination of either kind: email when it contains `@`, else a phone number. */
export function maskDestination(destination: string): string {
  return destination.includes('@') ? maskEmail(destination) : maskPhone(destination);
}

/**
 * The last four digits of a PAN or PAN suffix, for templates and logs. Anything longer than four
 * digits is cut, so a full PAN passed by mistake can never be rendered.
 */
export function panLastFour(pan: string | undefined): string {
  if (!pan) return '';
  return pan.replace(/\D/g, '').slice(-4);
}

/** Whether the digits of `text` (anything else skipped) pass the Luhn check every card number passes. */
export function passesLuhn(text: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = text.length - 1; i >= 0; i -= 1) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) continue;
    let digit = code - 0x30;
    if (double && (digit *= 2) > 9) digit -= 9;
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}
