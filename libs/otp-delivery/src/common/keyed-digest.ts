import { createHmac, hash, type KeyObject } from 'node:crypto';

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

/**
 * Each key's bytes, exported once and kept here, out of every object that could be printed:
 * `createHmac` given a `KeyObject` costs about twice what it costs given the key's bytes (4.3
 * against 2.3 us a digest in a loop here; two digests per send).
 */
const keyBytes = new WeakMap<KeyObject, Buffer>();

/** HMAC-SHA256 of the encoded parts, base64url. */
export function keyedDigest(key: KeyObject, parts: readonly (string | undefined)[]): string {
  let bytes = keyBytes.get(key);
  if (!bytes) keyBytes.set(key, (bytes = key.export()));
  return createHmac('sha256', bytes).update(encodeKeyParts(parts)).digest('base64url');
}

/**
 * A keyed SHA-256 in one pass, for names made on every send (three counters per send): the 32-byte
 * key, as 64 hex digits, fills the first 64-byte block, so a name can be neither computed nor
 * reversed without it. An HMAC's second pass guards against length extension, which gives nothing
 * here (an extended digest names no card, phone number or email), at four times the cost (1.97
 * against 0.45 us a digest, measured here). The key's text stays inside the closure. Ids and
 * idempotency records use `keyedDigest`.
 */
export function keyedNamer(key: KeyObject): (value: string) => string {
  const prefix = key.export().toString('hex');
  return (value) => hash('sha256', prefix + value, 'base64url');
}
