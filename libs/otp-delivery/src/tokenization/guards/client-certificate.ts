import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { verifiedAtFirstHandshake } from './initial-handshake.js';

/** One PEM certificate and nothing else: a second one (a repeated header joined into `a, b`) fails. */
const PEM_BODY = /^\s*-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----\s*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Far above any real certificate chain; bounds the work a forged header can cause. */
const MAX_HEADER_LENGTH = 16 * 1024;

/**
 * Reads the client certificate an ingress forwarded in a header: nginx's URL-encoded PEM
 * (`$ssl_client_escaped_cert`, Envoy's `%DOWNSTREAM_PEER_CERT%`), a plain PEM (line breaks kept,
 * or folded into spaces or tabs), or base64 DER without the PEM armour (HAProxy's
 * `%[ssl_c_der,base64]`). Undefined when the value is none of these, holds more than one
 * certificate, or does not parse.
 */
export function readForwardedCertificate(header: string): X509Certificate | undefined {
  if (header.length === 0 || header.length > MAX_HEADER_LENGTH) return undefined;
  let text = header;
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  const armoured = PEM_BODY.exec(text);
  const base64 = (armoured ? armoured[1]! : text).replace(/\s+/g, '');
  if (!BASE64.test(base64)) return undefined;
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
}

/** True when `now` lies within the certificate's validity period (`notBefore` to `notAfter`). */
export function isCurrentlyValid(certificate: X509Certificate, now = Date.now()): boolean {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  return Number.isFinite(from) && Number.isFinite(to) && from <= now && now <= to;
}

/**
 * The subject on one line, RDNs in certificate order joined by `, ` (`C=FR, O=Thales, CN=tsh-client`):
 * Node prints one per line (`X509Certificate.subject`).
 */
export function subjectLine(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}

/**
 * The certificate of a TLS peer that Node verified against the server's `ca` during the
 * handshake (`socket.authorized`), or undefined (plain HTTP, no certificate, unknown CA, or another
 * certificate than the first handshake's, presented by a renegotiation: `recordInitialHandshakes`).
 */
export function verifiedPeerCertificate(socket: unknown): X509Certificate | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (tls?.authorized !== true || typeof tls.getPeerX509Certificate !== 'function') return undefined;
  const certificate = tls.getPeerX509Certificate();
  // A certificate presented by a renegotiation after the verified handshake was never verified.
  return certificate && verifiedAtFirstHandshake(tls, certificate.fingerprint256) ? certificate : undefined;
}
