import { domainToASCII } from 'node:url';

/** RFC 5321's limit on a forward path: anything longer is not an address (and bounds the regex work). */
const MAX_LENGTH = 254;
/**
 * One address, no display name, no list: a destination never becomes several recipients. No
 * character that shows nothing either: controls, format characters (a zero-width space, a bidi
 * override), every default-ignorable code point (a variation selector, the Hangul filler) and the
 * blank braille pattern, which `\s` misses and NFKC keeps: `taro\u200b@example.jp` would count as
 * another mailbox than `taro@example.jp` (a way around the per-destination limit) and read as it.
 */
const PART = String.raw`[^\s@<>()[\]",;:\\\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]+`;
const EMAIL_ADDRESS = new RegExp(`^${PART}@${PART}\\.${PART}$`, 'u');

/** An email address as the module sends to it and counts it. */
export interface NormalizedEmailAddress {
  /** Where the message goes: the address trimmed and lower-cased. */
  readonly address: string;
  /**
   * The mailbox the limits count: Unicode-normalised (NFKC), lower-cased, the domain in punycode and,
   * unless told otherwise, without a plus tag (`taro+1@example.com` is `taro@example.com`).
   */
  readonly mailbox: string;
}

/** How mailboxes are told apart. */
export interface NormalizeEmailOptions {
  /**
   * Count `local+tag@domain` as `local@domain`: most providers deliver both to one inbox.
   * @default true
   */
  readonly plusTagsAreSameMailbox?: boolean;
}

/** True when `value` is one plain email address (no display name, no list). */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_LENGTH && EMAIL_ADDRESS.test(value);
}

/** The address to send to and the mailbox to count, or undefined when `input` is not one plain address. */
export function normalizeEmailAddress(input: unknown, options: NormalizeEmailOptions = {}): NormalizedEmailAddress | undefined {
  if (typeof input !== 'string') return undefined;
  const address = input.trim().toLowerCase();
  if (!isEmailAddress(address)) return undefined;
  const canonical = address.normalize('NFKC');
  const at = canonical.lastIndexOf('@');
  let local = canonical.slice(0, at);
  const domain = domainToASCII(canonical.slice(at + 1));
  // domainToASCII answers '' for a domain that is not a valid host name. An empty label (`example.jp.`,
  // `example..jp`, a full-width or ideographic stop turned into a dot) is allowed by no RFC 5321
  // domain, and `example.jp.` would count as another mailbox than `example.jp`.
  if (!domain || domain.split('.').includes('')) return undefined;
  if (options.plusTagsAreSameMailbox ?? true) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  return { address, mailbox: `${local}@${domain}` };
}
