import { createHmac, type KeyObject } from 'node:crypto';

/**
 * Encodes parts so that no two different lists give the same text: each part is prefixed with its
 * length (`5:hello`), and an absent part is `-`, which no length starts with, so `undefined` is
 * never `''` and no separator inside a part can shift the boundaries.
 */
export function encodeKeyParts(parts: readonly (string | undefined)[]): string {
  let encoded = '';
  for (const part of parts) encoded += part === undefined ? '-' : `${part.length}:${part}`;
  return encoded;
}

/** HMAC-SHA256 of the encoded parts, base64url. */
export function keyedDigest(key: KeyObject, parts: readonly (string | undefined)[]): string {
  return createHmac('sha256', key).update(encodeKeyParts(parts)).digest('base64url');
}
