/**
 * SMS encoding and part counting, done before a send so that an over-long message is refused
 * locally instead of being cut or billed as more parts than the issuer allows.
 */

/** The encoding an SMS body travels in. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** What `analyzeSms` answers. */
export interface SmsAnalysis {
  /** `GSM-7` when every character is in the GSM 03.38 basic or extension table, else `UCS-2`. */
  readonly encoding: SmsEncoding;
  /** GSM-7: septets (extension characters count 2). UCS-2: UTF-16 code units. */
  readonly characters: number;
  /** Number of SMS parts the body takes (1 for an empty body). */
  readonly parts: number;
}

// GSM 03.38 basic character set (one septet each).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// GSM 03.38 extension table: an escape septet plus one, so two septets each.
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const GSM_SINGLE = 160;
const GSM_CONCAT = 153;
const UCS2_SINGLE = 70;
const UCS2_CONCAT = 67;

/**
 * Finds the encoding CM's `body.type: "auto"` will choose and how many parts the text takes.
 * Parts are counted greedily so that an escape pair (GSM-7) or a surrogate pair (UCS-2) is never
 * split across two parts, as handsets and SMSCs require.
 *
 * @example
 * analyzeSms('Your code is 123456');          // { encoding: 'GSM-7', characters: 19, parts: 1 }
 * analyzeSms('認証コードは123456です');         // { encoding: 'UCS-2', characters: 14, parts: 1 }
 */
export function analyzeSms(text: string): SmsAnalysis {
  // Runs on every send: counted in place, no array of units per character.
  const septets = gsmSeptets(text);
  if (septets !== undefined) return { encoding: 'GSM-7', characters: septets, parts: countParts(text, septets, GSM_SINGLE, GSM_CONCAT, gsmUnits) };
  return { encoding: 'UCS-2', characters: text.length, parts: countParts(text, text.length, UCS2_SINGLE, UCS2_CONCAT, utf16Units) };
}

/** Septets the text takes in GSM-7, or undefined when one character is outside it. */
function gsmSeptets(text: string): number | undefined {
  let total = 0;
  for (const char of text) {
    const units = gsmUnits(char);
    if (units === 0) return undefined;
    total += units;
  }
  return total;
}

/** Septets of one character: 1 (basic table), 2 (extension table), 0 (not GSM-7). */
function gsmUnits(char: string): number {
  if (GSM_BASIC.has(char)) return 1;
  return GSM_EXTENSION.has(char) ? 2 : 0;
}

/** UTF-16 code units of one character (2 for a surrogate pair). */
function utf16Units(char: string): number {
  return char.length;
}

/** Parts, filled greedily so that no character's units are split across two. */
function countParts(text: string, total: number, single: number, concat: number, unitsOf: (char: string) => number): number {
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const char of text) {
    const size = unitsOf(char);
    if (used + size > concat) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}
