import { maskDestination, panLastFour, passesLuhn } from '../common/masking.js';
import { SecretValue } from '../common/secret-value.js';

/** Shown instead of a value that must never be logged. */
export const REDACTED = '[redacted]';

/** Fields holding contact data: logged masked (`********5678`, `ta***@example.com`). */
const MASKED_FIELDS = new Set(['destination', 'phonenumber', 'phone', 'msisdn', 'email', 'emailaddress', 'to', 'recipient']);
/** Fields holding secrets, card data or message contents, by exact name: never logged, whatever their shape. */
const DROPPED_FIELDS = new Set(['code', 'otp', 'otpvalue', 'tokeninfo', 'pan', 'fpan', 'dpan', 'text', 'html', 'body']);
/**
 * A field is a secret when any word of its name is one of these: `clientSecret`, `db_password`,
 * `proxy-authorization`, `Set-Cookie`.
 */
const SECRET_WORDS = new Set(['secret', 'secrets', 'password', 'passwd', 'passphrase', 'pwd', 'authorization', 'cookie', 'cookies', 'credential', 'credentials']);
/**
 * ...or when its last word is one of these: `apiKey`, `hashKey`, `privateKey`, `x-api-key`,
 * `accessToken`, `productToken`. Only the last word counts, because a key or token that merely
 * qualifies the name is no secret: `keyPrefix`, `tokenStorageId`, `tokenRequestor`, `tokenCount`
 * stay readable (and `monkey` is no key). Names written in one lowercase word are listed whole.
 */
const SECRET_LAST_WORDS = new Set(['key', 'keys', 'token', 'tokens', 'apikey', 'privatekey', 'hashkey', 'accesstoken', 'refreshtoken', 'producttoken']);
/**
 * A national number (`090-1234-5678`, `(090) 1234 5678`): the last reading of `LONG_NUMBER`, and
 * looked for again inside dashed groups that are no phone number as a whole.
 */
const NATIONAL_NUMBER = /(?<![\w(])\(?0\d{1,4}\)?[ .-]{1,2}\d{1,4}[ .-]{1,2}\d{3,4}\b/g;
/**
 * Phone numbers and PANs in free text, caught as a last line of defence (only the last four
 * digits survive): international numbers (`+81 90-1234-5678`, `+1 (415) 555-2671`,
 * `+81(90)12345678`), unbroken runs of 10 to 19 digits (E.164 without `+`, `0081...`, a PAN),
 * 13 to 19 digits with one space, dot, dash or underscore between them (a PAN as printed:
 * `4111.1111.1111.1111`), a card number's four groups of four (starting 22 to 27, or 3 to 6) joined by the same
 * one or two other marks (`4111/1111/1111/1111`, `4111__1111__1111__1111`, tabs, commas, colons)
 * when the digits pass the Luhn check and no more groups follow or precede (so lists such as
 * `2023, 2024, 2025, 2026` and IPv6 addresses stay), digit groups joined by dashes or underscores
 * that read as a phone number (`looksLikePhoneNumber`: `81-90-1234-5678`, `415-555-2671`,
 * `07400-123456`, `090_12345678`), and national numbers (`090.1234.5678`, `(090) 1234 5678`).
 * Dates and times (`2026-11-22 05:54`) do not match, nor digits glued to letters: they are read as
 * part of an identifier (a hex id such as a UUID often holds ten digits in a row).
 */
const LONG_NUMBER = new RegExp(
  String.raw`\+\d(?:[\s.()-]{0,3}\d){7,}|\b\d(?:[ ._-]?\d){12,18}\b|\b\d{10,19}\b|(?<!\d(?:[^A-Za-z0-9\s]{1,2}|\t))(?<![A-Za-z0-9])(?<grouped>(?:2[2-7]\d\d|[3-6]\d{3})(?<separator>[^A-Za-z0-9\s]{1,2}|\t)\d{4}(?:\k<separator>\d{4}){2})(?![A-Za-z0-9])(?!(?:[^A-Za-z0-9\s]{1,2}|\t)\d)|(?<![\w-])(?<dashed>\d{1,10}(?:[-_]\d{1,10}){1,4})(?![\w-])|` +
    NATIONAL_NUMBER.source,
  'g',
);
/** As many digits as a phone number with its country code holds (E.164: at most 15). */
const PHONE_DIGITS = /^\d{10,15}$/;
/** A year as the first group (`2026-12-01`, `2026_1201_1030`): a date or a timestamp, however many groups follow. */
const DATE_PREFIX = /^(?:19|20)\d\d[-_]/;

/**
 * Digit groups joined by dashes or underscores that read as a phone number: 10 to 15 digits, and
 * either two groups after a national trunk prefix (`07400-123456`, `090_12345678`) or three or four
 * groups ending in four digits or more (`415-555-2671`, `81-90-1234-5678`), not starting with a
 * year. Ranges, versions, thousands and timestamps (`12345-67890`, `1_000_000_000`,
 * `2026-12-01-10-30`) stay readable.
 */
function looksLikePhoneNumber(dashed: string): boolean {
  if (!PHONE_DIGITS.test(dashed.replace(/\D/g, ''))) return false;
  const groups = dashed.split(/[-_]/);
  if (groups.length === 2) return groups[0]!.startsWith('0');
  return groups.length <= 4 && groups.at(-1)!.length >= 4 && !DATE_PREFIX.test(dashed);
}
/**
 * Characters that read as something the patterns look for: full-width forms (`０９０`, `＠`) and
 * Unicode spaces (the ideographic space Japanese input methods type, no-break spaces), which NFKC
 * turns into ASCII; Unicode dashes, minus signs and the long-vowel mark kana input types for a
 * dash (`090ー1234ー5678`), read as `-`; zero-width characters and soft hyphens, dropped; and the
 * percent-encoded `+`, `@`, space, `-`, `.`, `(`, `)` (`%2B819012345678`, `taro%40example.jp`),
 * decoded. The text is read so only to look: it is logged so only when something in it is masked.
 */
const LOOK_ALIKES = /[\u00a0\u00ad\u2000-\u200d\u2010-\u2015\u202f\u205f\u2060\u2212\u3000\u30fc\ufe58\ufe63\ufeff\uff01-\uff70]|%(?:2[0bde89]|40)/i;
const MAX_DEPTH = 5;

/**
 * Masks free text: the user info of URLs (`redis://:password@host` -> `redis://[redacted]@host`)
 * is replaced, email addresses keep their first two characters and domain, long digit runs their
 * last four digits. OTP codes are too short to recognise in text: never put one in a message.
 * Runs in time linear in the length of the text, whatever it holds.
 */
export function redactText(text: string): string {
  // Credentials first, in the text as written: decoding `%20` in a password would end its URL early.
  const written = redactUrlCredentials(text);
  const masked = maskPersonalData(written);
  if (!LOOK_ALIKES.test(written)) return masked;
  // Read as it looks (`＋８１`, `090ー1234`, `%2B81`); kept as written unless that reading finds something to mask.
  const read = asRead(masked);
  const readMasked = maskPersonalData(read);
  return readMasked === read ? masked : readMasked;
}

/** Emails, phone numbers and PANs masked (see `LONG_NUMBER`). */
function maskPersonalData(text: string): string {
  return maskEmails(text).replace(LONG_NUMBER, (digits: string, ...rest: unknown[]) => {
    const { grouped, dashed } = rest.at(-1) as { grouped?: string; dashed?: string };
    if (grouped !== undefined && !passesLuhn(grouped)) return digits;
    if (dashed !== undefined && !looksLikePhoneNumber(dashed)) return digits.replace(NATIONAL_NUMBER, (national) => `****${panLastFour(national)}`);
    return `****${panLastFour(digits)}`;
  });
}

/** `text` as the patterns should read it: see `LOOK_ALIKES`. */
function asRead(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\u30fc\ufe58]/g, '-')
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/%(2[0bde89]|40)/gi, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * A copy of `value` safe to log: contact fields masked, secret fields replaced by `[redacted]`,
 * `SecretValue`s redacted, free text scrubbed, errors reduced to name and (scrubbed) message.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof SecretValue) return REDACTED;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = redactField(key, field, depth);
  return out;
}

function redactField(key: string, value: unknown, depth: number): unknown {
  const name = key.toLowerCase();
  if (DROPPED_FIELDS.has(name) || isSecretName(key)) return value === undefined ? undefined : REDACTED;
  if (MASKED_FIELDS.has(name) && typeof value === 'string') return maskDestination(value);
  if (MASKED_FIELDS.has(name) && value !== null && value !== undefined && typeof value !== 'object') return REDACTED;
  return redactForLog(value, depth + 1);
}

/** Answers of `isSecretName` for the field names seen: a program logs few distinct ones. */
const secretNames = new Map<string, boolean>();
/** Past this many distinct names (field names built from data), names are no longer remembered. */
const MAX_REMEMBERED_NAMES = 1000;

/** Whether a field name says it holds a secret (see `SECRET_WORDS` and `SECRET_LAST_WORDS`). */
function isSecretName(key: string): boolean {
  let secret = secretNames.get(key);
  if (secret === undefined) {
    secret = splitsIntoSecretWords(key);
    if (secretNames.size < MAX_REMEMBERED_NAMES) secretNames.set(key, secret);
  }
  return secret;
}

function splitsIntoSecretWords(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return words.some((word) => SECRET_WORDS.has(word)) || SECRET_LAST_WORDS.has(words.at(-1) ?? '');
}

/**
 * Replaces the user info of every `scheme://user:password@host` in `text`. The user info is what
 * lies between `://` and the last `@` before the host ends (at `/`, `?`, `#`, a quote, `<`, `>` or
 * white space), so a password holding an unencoded `@` is covered too. A scan rather than a regex:
 * each `://` looks only as far as the end of its own authority, so the time stays linear.
 */
function redactUrlCredentials(text: string): string {
  let out = '';
  let copied = 0;
  for (let slashes = text.indexOf('://'); slashes !== -1; slashes = text.indexOf('://', slashes + 3)) {
    const userInfo = slashes + 3;
    let at = -1;
    for (let i = userInfo; i < text.length && !endsAuthority(text.charCodeAt(i)); i += 1) {
      if (text.charCodeAt(i) === AT) at = i;
    }
    if (at === -1) continue;
    out += text.slice(copied, userInfo) + REDACTED;
    copied = at;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Masks every email address in `text`, read as `[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`
 * (the regex this replaces, and which backtracked quadratically: seconds for 100 KB of letters).
 * Anchored on each `@`: the local part is read backwards, the domain forwards, neither past a
 * neighbouring `@`, so every character is looked at a bounded number of times.
 */
function maskEmails(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && isLocalPartChar(text.charCodeAt(start - 1))) start -= 1;
    if (start === at) continue;
    const end = emailDomainEnd(text, at + 1);
    if (end === -1) continue;
    out += text.slice(copied, start) + maskDestination(text.slice(start, end));
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Where the domain starting at `from` ends, or -1 when there is none: as the regex read it, the
 * domain characters up to the last dot that has at least one of them before it and two letters
 * after it, then every letter that follows that dot.
 */
function emailDomainEnd(text: string, from: number): number {
  let runEnd = from;
  while (runEnd < text.length && isDomainChar(text.charCodeAt(runEnd))) runEnd += 1;
  for (let dot = runEnd - 3; dot > from; dot -= 1) {
    if (text.charCodeAt(dot) === DOT && isLetter(text.charCodeAt(dot + 1)) && isLetter(text.charCodeAt(dot + 2))) {
      let end = dot + 3;
      while (end < runEnd && isLetter(text.charCodeAt(end))) end += 1;
      return end;
    }
  }
  return -1;
}

const AT = 0x40;
const DOT = 0x2e;

function isLetter(char: number): boolean {
  return (char >= 0x41 && char <= 0x5a) || (char >= 0x61 && char <= 0x7a);
}

/** `[A-Za-z0-9.-]` */
function isDomainChar(char: number): boolean {
  return isLetter(char) || (char >= 0x30 && char <= 0x39) || char === DOT || char === 0x2d;
}

/** `[A-Za-z0-9._%+-]` */
function isLocalPartChar(char: number): boolean {
  return isDomainChar(char) || char === 0x5f || char === 0x25 || char === 0x2b;
}

/** Where a URL's authority ends: `/ ? #`, quotes, `< >`, white space and control characters. */
function endsAuthority(char: number): boolean {
  return char <= 0x20 || char === 0x2f || char === 0x3f || char === 0x23 || char === 0x22 || char === 0x27 || char === 0x60 || char === 0x3c || char === 0x3e || char === 0x7f;
}
