import { randomInt, randomUUID } from 'node:crypto';
import { analyzeSms } from '../../cm/sms-encoding.js';
import { cmV1Time, cmV2Time } from './cm-sandbox-clock.js';
import { isIntIn } from './cm-sandbox-validation.js';
import type { CmSandboxAnswer, CmSandboxMessage } from './cm-sandbox.types.js';

interface SandboxOtp {
  readonly id: string;
  readonly code: string;
  readonly channel: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  wrongAttempts: number;
  verified: boolean;
}

type Body = Record<string, unknown>;

const V2_CHANNELS = new Set(['sms', 'rcs', 'push', 'whatsapp', 'viber', 'voice', 'email', 'auto']);
const V1_VOICE_LANGUAGES = new Set(['de', 'en', 'es', 'fr', 'it', 'nl']);
const E164 = /^\+[1-9]\d{6,14}$/;
const V1_RECIPIENT = /^(\+|00)[1-9]\d{6,14}$/;
const ALPHANUMERIC_SENDER = /^[A-Za-z0-9 ]{3,11}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * OTP API v1 and v2 as CM documents them: field rules, status codes, single-use verify, expiry and
 * a wrong-attempt limit. Where CM's behaviour is undocumented (v1's error body, v2's error envelope)
 * the sandbox answers `{ status, message }` (v1) and `{ errorCode, message }` (v2).
 */
export class CmSandboxOtp {
  readonly #otps = new Map<string, SandboxOtp>();

  constructor(
    private readonly maxVerifyAttempts: number,
    private readonly send: (message: CmSandboxMessage) => void,
    /** OTPs kept, the oldest forgotten first (`CmSandboxOptions.maxMessages`). */
    private readonly maxOtps = Number.POSITIVE_INFINITY,
  ) {}

  clear(): void {
    this.#otps.clear();
  }

  /** `POST /v1.0/otp/generate` */
  generateV1(body: Body, now: Date): CmSandboxAnswer {
    const invalid = (message: string): CmSandboxAnswer => ({ status: 400, body: { status: 400, message } });
    const { recipient, sender, length = 5, expiry = 60, allowPush = false, appKey, allowVoice = false, voiceLanguage, message } = body;
    if (typeof recipient !== 'string' || !V1_RECIPIENT.test(recipient)) return invalid('Invalid recipient');
    // A voice call needs a callable sender, longer than 11 characters in international form.
    const senderValid = typeof sender === 'string' && (allowVoice === true ? /^(\+|00)?\d{6,16}$/.test(sender) : sender.length >= 3 && sender.length <= 11);
    if (!senderValid) return invalid('Invalid sender');
    if (!isIntIn(length, 4, 10)) return invalid('Invalid length');
    if (!isIntIn(expiry, 10, 3600)) return invalid('Invalid expiry');
    if (typeof allowPush !== 'boolean') return invalid('Invalid allowPush');
    if (allowPush && (typeof appKey !== 'string' || !appKey)) return invalid('appKey is required when allowPush is true');
    if (typeof allowVoice !== 'boolean') return invalid('Invalid allowVoice');
    if (voiceLanguage !== undefined && !V1_VOICE_LANGUAGES.has(voiceLanguage as string)) return invalid('Invalid voiceLanguage');
    if (message !== undefined && (typeof message !== 'string' || !message.includes('{code}'))) return invalid('Invalid message');
    const otp = this.#create('sms', length as number, expiry as number, now);
    this.#deliver('otp-v1', otp, sender, recipient, (message as string | undefined) ?? 'Your verification code is {code}', expiry as number);
    return { status: 200, body: { id: otp.id, createdAt: cmV1Time(otp.createdAt), expireAt: cmV1Time(otp.expiresAt) } };
  }

  /**
   * `POST /v1.0/otp/verify`. v1 only says `valid`: a wrong, expired, used or locked code, and an
   * unknown id, all answer `{ "valid": false }`.
   */
  verifyV1(body: Body, now: Date): CmSandboxAnswer {
    const { id, code } = body;
    if (typeof id !== 'string' || typeof code !== 'string') return { status: 400, body: { status: 400, message: 'id and code are required' } };
    const otp = this.#otps.get(id);
    return { status: 200, body: { valid: otp !== undefined && this.#check(otp, code, now) === 'ok' } };
  }

  /** `POST /otp/v2/otp` */
  createV2(body: Body, now: Date): CmSandboxAnswer {
    const invalid = (errorCode: number, message: string): CmSandboxAnswer => ({ status: 400, body: { errorCode, message } });
    const { channel, digits = 5, expiry = 60, from, to, message, pushAppKey, locale } = body;
    if (typeof channel !== 'string' || !V2_CHANNELS.has(channel)) return invalid(2001, 'Invalid channel');
    if (typeof from !== 'string' || !(E164.test(from) || (channel !== 'voice' && ALPHANUMERIC_SENDER.test(from)))) return invalid(2002, 'Invalid from');
    const toValid = typeof to === 'string' && (channel === 'email' ? EMAIL.test(to) : E164.test(to));
    if (!toValid) return invalid(2003, 'Invalid to');
    if (message !== undefined) {
      const hasPlaceholder = typeof message === 'string' && message.includes('{code}');
      if (typeof message !== 'string' || (channel !== 'email' && !hasPlaceholder)) return invalid(2004, 'Invalid message');
    }
    if (!isIntIn(digits, 4, 10)) return invalid(2005, 'Invalid digits');
    if (!isIntIn(expiry, 10, 3600)) return invalid(2006, 'Invalid expiry');
    if (locale !== undefined && (typeof locale !== 'string' || !/^[a-z]{2}-[A-Z]{2}$/.test(locale))) return invalid(2007, 'Invalid locale');
    if (channel === 'push' && (typeof pushAppKey !== 'string' || !pushAppKey)) return invalid(2008, 'Invalid pushAppKey');
    const otp = this.#create(channel, digits as number, expiry as number, now);
    this.#deliver('otp-v2', otp, from, to as string, (message as string | undefined) ?? 'Your verification code is {code}', expiry as number);
    return { status: 200, body: v2View(otp) };
  }

  /** `POST /otp/v2/otp/{id}/verify`: 404 unknown, 400 expired / used / locked, 200 otherwise. */
  verifyV2(id: string, body: Body, now: Date): CmSandboxAnswer {
    if (typeof body.code !== 'string') return { status: 400, body: { errorCode: 1001, message: 'code is required' } };
    const otp = this.#otps.get(id);
    if (!otp) return { status: 404, body: { errorCode: 3001, message: 'OTP not found' } };
    const outcome = this.#check(otp, body.code, now);
    if (outcome === 'expired') return { status: 400, body: { errorCode: 3002, message: 'OTP expired' } };
    if (outcome === 'already-verified') return { status: 400, body: { errorCode: 3003, message: 'OTP already verified' } };
    if (outcome === 'locked') return { status: 400, body: { errorCode: 3004, message: 'Too many attempts' } };
    return { status: 200, body: v2View(otp) };
  }

  #create(channel: string, digits: number, expirySeconds: number, now: Date): SandboxOtp {
    const code = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
    const otp: SandboxOtp = {
      id: randomUUID(),
      code,
      channel,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expirySeconds * 1000),
      wrongAttempts: 0,
      verified: false,
    };
    this.#otps.set(otp.id, otp);
    // Created in order, so the first is the oldest (and the first to expire, within CM's one hour).
    if (this.#otps.size > this.maxOtps) this.#otps.delete(this.#otps.keys().next().value as string);
    return otp;
  }

  #deliver(api: 'otp-v1' | 'otp-v2', otp: SandboxOtp, from: string, to: string, template: string, expiry: number): void {
    const text = template.includes('{code}') ? template.replaceAll('{code}', otp.code) : `${template} ${otp.code}`;
    const { encoding, parts } = analyzeSms(text);
    this.send({ api, reference: otp.id, from, to, text, parts, encoding, validity: `${expiry}s`, channel: otp.channel, code: otp.code, receivedAt: otp.createdAt });
  }

  #check(otp: SandboxOtp, code: string, now: Date): 'ok' | 'wrong' | 'expired' | 'already-verified' | 'locked' {
    if (otp.verified) return 'already-verified';
    if (now >= otp.expiresAt) return 'expired';
    if (otp.wrongAttempts >= this.maxVerifyAttempts) return 'locked';
    if (code !== otp.code) {
      otp.wrongAttempts += 1;
      return 'wrong';
    }
    otp.verified = true;
    return 'ok';
  }
}

function v2View(otp: SandboxOtp): Record<string, unknown> {
  return { id: otp.id, channel: otp.channel, verified: otp.verified, createdAt: cmV2Time(otp.createdAt), expiresAt: cmV2Time(otp.expiresAt) };
}
