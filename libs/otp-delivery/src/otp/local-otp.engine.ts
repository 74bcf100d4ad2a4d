import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SecretValue } from '../common/secret-value.js';
import { OtpStore } from '../store/otp-store.interface.js';
import type { OtpCallOptions, OtpEngine, OtpGenerated, OtpGenerateRequest, OtpVerification } from './otp-engine.interface.js';
import type { ResolvedOtpEngineOptions } from './otp-engine-options.js';
import { OTP_ENGINE_OPTIONS } from './otp.constants.js';
import { OtpValidationError } from './otp-validation.error.js';

interface StoredOtp {
  /** HMAC-SHA256(hashKey, `${id}:${code}`), base64. */
  readonly hash: string;
  readonly channel: OtpGenerated['channel'];
  readonly expiresAt: number;
}

const MIN_DIGITS = 6;
const MAX_DIGITS = 10;
const MAX_EXPIRY_SECONDS = 600;

/**
 * The embedded `OtpEngine`, for machines with no CM account and for tests: codes from
 * `crypto.randomInt`, stored only as a keyed hash in the `OtpStore`, compared in constant time,
 * single use, with an expiry and a wrong-attempt limit (all atomic in the store, so they hold
 * across replicas sharing Redis when `otp.hashKey` is set). It does not deliver: `generate`
 * answers the code for a channel to send.
 *
 * @example
 * const otp = await engine.generate({ to: phone });
 * await sms.send({ to: phone, text: otp.code! });
 * await engine.verify(otp.id, entered); // { verified: true } once, never again
 */
@Injectable()
export class LocalOtpEngine implements OtpEngine {
  readonly #options: ResolvedOtpEngineOptions;

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(OTP_ENGINE_OPTIONS) options: ResolvedOtpEngineOptions,
  ) {
    this.#options = options;
  }

  /** Creates a code and stores its keyed hash; the caller delivers `code`. */
  async generate(request: OtpGenerateRequest, _options: OtpCallOptions = {}): Promise<OtpGenerated> {
    const digits = request.digits ?? this.#options.digits;
    if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
      throw new OtpValidationError('digits', `must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}`);
    }
    const expirySeconds = request.expirySeconds ?? this.#options.expirySeconds;
    if (!Number.isInteger(expirySeconds) || expirySeconds < 10 || expirySeconds > MAX_EXPIRY_SECONDS) {
      throw new OtpValidationError('expirySeconds', `must be an integer from 10 to ${MAX_EXPIRY_SECONDS}`);
    }
    const id = randomUUID();
    const code = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + expirySeconds * 1000);
    const channel = request.channel ?? 'sms';
    const stored: StoredOtp = { hash: this.#hash(id, code).toString('base64'), channel, expiresAt: expiresAt.getTime() };
    // Kept twice as long as the code lives, so a late attempt answers `expired` rather than `not-found`.
    await this.store.set(sessionKey(id), JSON.stringify(stored), this.#retentionMs(expirySeconds));
    return { id, channel, createdAt, expiresAt, code: new SecretValue(code) };
  }

  /**
   * Checks a code. Every attempt is counted first (atomically), so concurrent guesses cannot get
   * past the limit; the right code is then taken from the store, so only one caller succeeds.
   */
  async verify(id: string, code: string | SecretValue, _options: OtpCallOptions = {}): Promise<OtpVerification> {
    // The id comes back from the client: only one this engine could have issued names a key, so
    // `<id>:attempts` cannot read the attempt counter as a code (nor write keys of its own).
    if (typeof id !== 'string' || !ISSUED_ID.test(id)) return { verified: false, reason: 'not-found' };
    const raw = await this.store.get(sessionKey(id));
    if (raw === null) {
      const used = await this.store.get(usedKey(id));
      return { verified: false, reason: used === null ? 'not-found' : 'already-verified' };
    }
    const stored = storedOtpOf(raw);
    if (!stored) return { verified: false, reason: 'not-found' };
    const remainingMs = stored.expiresAt - Date.now();
    if (remainingMs <= 0) return { verified: false, reason: 'expired' };
    const attempts = await this.store.increment(attemptsKey(id), remainingMs * 2);
    if (attempts > this.#options.maxAttempts) return { verified: false, reason: 'too-many-attempts' };

    const plain = code instanceof SecretValue ? code.reveal() : code;
    const expected = Buffer.from(stored.hash, 'base64');
    const given = this.#hash(id, typeof plain === 'string' ? plain : '');
    if (!timingSafeEqual(expected, given)) return { verified: false, reason: 'wrong-code' };
    const taken = await this.store.take(sessionKey(id));
    if (taken === null) return { verified: false, reason: 'already-verified' };
    await this.store.set(usedKey(id), '1', remainingMs * 2);
    await this.store.delete(attemptsKey(id));
    return { verified: true };
  }

  #hash(id: string, code: string): Buffer {
    return createHmac('sha256', this.#options.hashKey.reveal()).update(`${id}:${code}`).digest();
  }

  #retentionMs(expirySeconds: number): number {
    return expirySeconds * 2000;
  }
}

/** What `generate` issues: `randomUUID()`. */
const ISSUED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The stored session, or undefined when the value is not one `generate` wrote. */
function storedOtpOf(raw: string): StoredOtp | undefined {
  try {
    const value = JSON.parse(raw) as Partial<StoredOtp> | null;
    return typeof value?.hash === 'string' && Number.isFinite(value.expiresAt) ? (value as StoredOtp) : undefined;
  } catch {
    return undefined;
  }
}

const sessionKey = (id: string): string => `otp:local:${id}`;
const usedKey = (id: string): string => `otp:local:${id}:used`;
const attemptsKey = (id: string): string => `otp:local:${id}:attempts`;
