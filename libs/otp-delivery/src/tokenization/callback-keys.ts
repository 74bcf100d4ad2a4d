import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/** Binds the derived keys to this library, so the same secret used elsewhere gives other keys. */
const HKDF_SALT = 'nestjs-otp-delivery/tokenization';

/**
 * The keys derived from `tokenization.methodIdSecret` with HKDF-SHA256, one per use: a method id
 * can never be computed with the idempotency key, nor the reverse. Digests are `keyedDigest`s. `KeyObject`s
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

/** Derives the keys from the configured secret, or from 32 random bytes when there is none. */
export function deriveCallbackKeys(secret: string | undefined): CallbackKeys {
  const material = secret ?? randomBytes(32);
  const derive = (use: string) => createSecretKey(Buffer.from(hkdfSync('sha256', material, HKDF_SALT, use, 32)));
  return { methodId: derive('idv-method-id'), idempotency: derive('callback-idempotency'), counters: derive('rate-limit-counters') };
}
