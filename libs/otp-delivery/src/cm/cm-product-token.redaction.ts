import type { SecretValue } from '../common/secret-value.js';
import { REDACTED } from '../logging/log-redaction.js';

/**
 * A GUID, the shape of a CM product token: with or without its hyphens, in any case. Not bounded by
 * word edges, so one glued to other letters (`token6f1c3e2a-...`) is caught too. `redactText`
 * leaves GUIDs readable on purpose (ids in logs); CM's texts need none, so here they all go.
 */
const GUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi;
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * Removes the product token from a text CM (or whatever answers in its place) wrote: CM echoes
 * the `X-CM-ProductToken` header or the body's `productToken` in some refusals (`Invalid product
 * token 6f1c... supplied`), and an HTML error page may print the request headers. The configured
 * token is removed in every case and with or without its hyphens, then every other GUID-shaped
 * string is masked (another account's token, a token cut in a way we did not foresee).
 *
 * The text is read in its NFKC form first: a token written in full-width forms would otherwise
 * pass here and come back readable once `redactText` normalises it.
 */
export function redactProductToken(text: string, productToken?: SecretValue): string {
  let safe = text.normalize('NFKC');
  const token = productToken?.reveal();
  if (token) safe = safe.replace(tokenPattern(token), REDACTED);
  return safe.replace(GUID, REDACTED);
}

/** The token as written, and without its hyphens; the longer form first, so it is removed whole. */
function tokenPattern(token: string): RegExp {
  const forms = [token, token.replaceAll('-', '')].filter((form) => form !== '');
  return new RegExp(forms.map((form) => form.replace(REGEX_SPECIALS, '\\$&')).join('|'), 'gi');
}
