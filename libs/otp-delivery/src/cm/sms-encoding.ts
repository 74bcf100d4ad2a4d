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
  const gsmUnits = gsmSeptets(text);
  if (gsmUnits) return { encoding: 'GSM-7', characters: sum(gsmUnits), parts: countParts(gsmUnits, GSM_SINGLE, GSM_CONCAT) };
  const ucsUnits = Array.from(text, (char) => char.length);
  return { encoding: 'UCS-2', characters: text.length, parts: countParts(ucsUnits, UCS2_SINGLE, UCS2_CONCAT) };
}

/** Septets per character, or undefined when one character is outside GSM-7. */
function gsmSeptets(text: string): number[] | undefined {
  const units: number[] = [];
  for (const char of text) {
    if (GSM_BASIC.has(char)) units.push(1);
    else if (GSM_EXTENSION.has(char)) units.push(2);
    else return undefined;
  }
  return units;
}

function countParts(units: readonly number[], single: number, concat: number): number {
  const total = sum(units);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of units) {
    if (used + size > concat) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

function sum(units: readonly number[]): number {
  let total = 0;
  for (const size of units) total += size;
  return total;
}
