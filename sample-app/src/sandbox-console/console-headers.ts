/**
 * The page's policy: its own script and styles only (nothing inline, nothing from elsewhere), the
 * live updates from itself, email bodies framed from itself, and never framed by another page.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * An email's HTML, shown in the page's `<iframe sandbox>`: sandboxed again by its own policy (no
 * script, an opaque origin, even when opened on its own), no request anywhere, inline styles kept
 * so it looks as a mail client would show it, framed only by the console.
 */
export const EMAIL_CSP = ["sandbox", "default-src 'none'", "style-src 'unsafe-inline'", 'img-src data:', "frame-ancestors 'self'"].join('; ');
