import { domainToASCII } from 'node:url';

/** `local@domain` of a sender: no spaces or header punctuation; the domain may be one label (`localhost`). */
const SENDER_ADDRESS = /^([^\s@<>()",;:\\[\]]+)@([^\s@<>()",;:\\[\]]+)$/;
/** A display name in quotes: anything but an unescaped quote or a line break inside. */
const QUOTED_NAME = /^"(?:[^"\\\r\n]|\\.)*"$/;
/** A display name without quotes: text with none of what would start a second address. */
const PLAIN_NAME = /^[^,;@<>"\r\n]*$/;

/**
 * Whether `value` names one sender mailbox: `addr@domain`, or a display name and `<addr@domain>`
 * (`MyBank <otp@mybank.example>`, `"MyBank, Tokyo" <otp@mybank.example>`). Looser than a recipient's
 * rule on the domain (a laptop's `otp@localhost` is a sender an SMTP server may take), strict on what
 * would make nodemailer read two addresses (`a@x.example, B <b@x.example>`).
 */
export function isSenderMailbox(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  const named = /^(.*?)\s*<([^<>]*)>$/s.exec(text);
  if (named) {
    const name = named[1]!.trim();
    if (!(QUOTED_NAME.test(name) || PLAIN_NAME.test(name))) return false;
  }
  const match = SENDER_ADDRESS.exec(named ? named[2]!.trim() : text);
  if (!match) return false;
  const domain = domainToASCII(match[2]!.toLowerCase());
  return domain !== '' && !domain.split('.').includes('');
}
