import type { X509Certificate } from 'node:crypto';
import { subjectLine } from './client-certificate.js';

/** A SHA-256 fingerprint: 64 hex digits, plain or as 32 colon-separated pairs, any case. */
export const SHA256_FINGERPRINT = /^(?:[0-9a-f]{64}|(?:[0-9a-f]{2}:){31}[0-9a-f]{2})$/i;

/** The fingerprint as Node's `X509Certificate.fingerprint256` prints it (`AB:CD:...`). */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/:/g, '').toUpperCase();
  return hex.match(/../g)!.join(':');
}

/**
 * `tokenization.auth.allowedSubjects` / `allowedFingerprints`: which verified certificates may
 * call. A list left unset allows any certificate; when both are set, a certificate must be on both.
 * - a subject entry `CN=<name>` matches a certificate whose one common name is exactly `<name>`; any
 *   other entry must equal the whole subject as `subjectLine` prints it (`C=FR, O=Thales, CN=tsh`);
 * - a fingerprint entry matches the certificate's SHA-256 fingerprint, whatever its case or colons.
 */
export class CallerAllowList {
  readonly #subjects?: ReadonlySet<string>;
  readonly #fingerprints?: ReadonlySet<string>;

  constructor(lists: { readonly subjects?: readonly string[]; readonly fingerprints?: readonly string[] }) {
    if (lists.subjects) this.#subjects = new Set(lists.subjects);
    if (lists.fingerprints) this.#fingerprints = new Set(lists.fingerprints.map(normalizeFingerprint));
  }

  allows(certificate: X509Certificate): boolean {
    return this.#allowsSubject(certificate) && (!this.#fingerprints || this.#fingerprints.has(certificate.fingerprint256));
  }

  #allowsSubject(certificate: X509Certificate): boolean {
    if (!this.#subjects) return true;
    if (this.#subjects.has(subjectLine(certificate))) return true;
    // A certificate with two common names (`CN=anyone`, `CN=tsh-client`) is neither of them.
    const commonNames = certificate.subject.split('\n').filter((rdn) => rdn.startsWith('CN='));
    return commonNames.length === 1 && this.#subjects.has(commonNames[0]!);
  }
}
