/**
 * The sandbox sees the text of a message, not which part of it is the code (CM's OTP APIs aside,
 * which report it). The console looks for a code it knows went out (typed in its own form), and
 * else for the first run of 6 to 16 digits: the TSPs' codes are 6 (Visa) or 8 (Mastercard) digits,
 * and the shorter numbers in the templates (PAN last 4, minutes) are not taken for one.
 */
const LIKELY_CODE = /(?<![0-9A-Za-z])[0-9]{6,16}(?![0-9A-Za-z])/;

/** The code in `text`: the first of `known` it contains (newest first), else a likely one. */
export function findCode(text: string, known: Iterable<string>): string | undefined {
  for (const code of known) if (code !== '' && text.includes(code)) return code;
  return LIKELY_CODE.exec(text)?.[0];
}

/**
 * Wraps each occurrence of `code` in the text of an HTML document in `<mark>`, never inside a
 * tag, an attribute or a character reference (`&#305172;` stays whole).
 */
export function markCodeInHtml(html: string, code: string | undefined): string {
  if (!code || !/^[0-9A-Za-z]+$/.test(code)) return html;
  const occurrence = new RegExp(`(?<![0-9A-Za-z]|&#?[0-9A-Za-z]*)${code}(?![0-9A-Za-z])`, 'g');
  return html
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? part : part.replace(occurrence, `<mark>${code}</mark>`)))
    .join('');
}
