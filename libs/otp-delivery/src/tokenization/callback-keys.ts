import { createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/** Binds the derived keys to this library, so the same secret used elsewhere gives other keys. */
const HKDF_SALT = 'nestjs-otp-delivery/tokenization';

/**
 * The keys behind the callbacks, derived from `tokenization.methodIdSecret` with HKDF-SHA256, one
 * per use: a method id can never be computed with the idempotency key, nor the reverse. `KeyObject`s
 * print no key material.
 */
export interface CallbackKeys {
  /** Keys the `idvMethodList` ids. */
  readonly methodId: KeyObject;
  /** Keys the idempotency records of the callbacks (their parts may include an OTP). */
  readonly idempotency: KeyObject;
  /** Keys the names of the limits' counters (a card, a phone number, an email address, a caller). */
  readonly counters: KeyObject;
}

/** Derives both keys from the configured secret, or from 32 random bytes when there is none. */
export function deriveCallbackKeys(secret: string | undefined): CallbackKeys {
  const material = secret ?? randomBytes(32);
  const derive = (use: string) => createSecretKey(Buffer.from(hkdfSync('sha256', material, HKDF_SALT, use, 32)));
  return { methodId: derive('idv-method-id'), idempotency: derive('callback-idempotency'), counters: derive('rate-limit-counters') };
}

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
