import type { OtpChannelName, OtpGenerateRequest } from '../otp/otp-engine.interface.js';
import type { ResolvedCmOptions } from './cm-options.js';
import { cmMobileNumber } from './cm-phone.js';
import { CmValidationError } from './cm.error.js';
import { analyzeSms } from './sms-encoding.js';
import { normalizeEmailAddress } from '../common/email-address.js';

/** An OTP request that passed CM's rules, with the destination in the version's format. */
export interface CheckedOtpRequest {
  readonly channel: OtpChannelName;
  /** v1: `0081...`; v2: `+81...` or an email address. */
  readonly to: string;
  readonly from: string;
  readonly digits: number;
  readonly expirySeconds: number;
  readonly message?: string;
  readonly appKey?: string;
  readonly locale?: string;
}

const V1_CHANNELS = new Set<OtpChannelName>(['sms', 'push', 'voice']);
const V2_CHANNELS = new Set<OtpChannelName>(['sms', 'rcs', 'push', 'whatsapp', 'viber', 'voice', 'email', 'auto']);
const V1_VOICE_LANGUAGES = new Set(['de', 'en', 'es', 'fr', 'it', 'nl']);
const E164 = /^\+[1-9]\d{6,14}$/;
/** 3 to 11 letters, digits and spaces, not only spaces: what a handset shows as the sender. */
const ALPHANUMERIC = /^(?=.*[A-Za-z0-9])[A-Za-z0-9 ]{3,11}$/;
/** A numeric sender: up to 16 digits, `+` or `00` first allowed. */
const NUMERIC_SENDER = /^(\+|00)?\d{3,16}$/;
/** An app key as CM issues it: a GUID. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Characters a message must not carry: controls (a newline is text) and format characters (bidi overrides, zero-width). */
const HIDDEN_CHARACTERS = /(?!\n)[\p{Cc}\p{Cf}]/u;
/** Channels whose message CM bills as SMS parts (`auto` may fall back to SMS). */
const SMS_PARTS_CHANNELS = new Set<OtpChannelName>(['sms', 'auto']);
/** Caller-given references the limits count by: a short text. */
const MAX_REFERENCE_LENGTH = 256;
const LOCALE = /^[a-z]{2}-[A-Z]{2}$/;

/** Defaults a caller may leave out. */
export interface OtpRequestDefaults {
  readonly digits: number;
  readonly expirySeconds: number;
}

/**
 * Checks an OTP request against CM's documented limits for the configured version, so that a
 * bad input throws `CmValidationError` naming the field and nothing is sent.
 */
export function checkOtpRequest(request: OtpGenerateRequest, version: 'v1' | 'v2', cm: ResolvedCmOptions, defaults: OtpRequestDefaults): CheckedOtpRequest {
  if (typeof request !== 'object' || request === null) throw new CmValidationError('request', 'must be an object');
  for (const field of ['cardRef', 'clientId'] as const) {
    const value = request[field];
    if (value !== undefined && (typeof value !== 'string' || value === '' || value.length > MAX_REFERENCE_LENGTH)) {
      throw new CmValidationError(field, `must be a text of 1 to ${MAX_REFERENCE_LENGTH} characters`);
    }
  }
  const channel = request.channel ?? 'sms';
  const channels = version === 'v1' ? V1_CHANNELS : V2_CHANNELS;
  if (!channels.has(channel)) throw new CmValidationError('channel', `must be one of ${[...channels].join(', ')} with OTP API ${version}`);

  const digits = request.digits ?? defaults.digits;
  if (!Number.isInteger(digits) || digits < 4 || digits > 10) throw new CmValidationError('digits', 'must be an integer from 4 to 10');
  const expirySeconds = request.expirySeconds ?? defaults.expirySeconds;
  if (!Number.isInteger(expirySeconds) || expirySeconds < 10 || expirySeconds > 3600) {
    throw new CmValidationError('expirySeconds', 'must be an integer from 10 to 3600');
  }

  const from = request.from ?? cm.sender;
  checkFrom(from, channel, version);

  if (channel === 'push' && (typeof request.appKey !== 'string' || request.appKey.trim() === '')) {
    throw new CmValidationError('appKey', 'is required with the push channel');
  }
  if (request.appKey !== undefined && (typeof request.appKey !== 'string' || !GUID.test(request.appKey))) {
    throw new CmValidationError('appKey', 'must be the app key CM issued (a GUID)');
  }
  if (request.message !== undefined) {
    if (typeof request.message !== 'string' || request.message.trim() === '') throw new CmValidationError('message', 'must be a non-empty text');
    if (channel !== 'email' && !request.message.includes('{code}')) throw new CmValidationError('message', 'must contain the {code} placeholder');
    if (HIDDEN_CHARACTERS.test(request.message)) throw new CmValidationError('message', 'must not hold control or invisible format characters');
    if (SMS_PARTS_CHANNELS.has(channel)) {
      // Counted with the code at its full length, as CM will send it: each part is billed.
      const { encoding, parts } = analyzeSms(request.message.replaceAll('{code}', '0'.repeat(digits)));
      if (parts > cm.maxMessageParts) throw new CmValidationError('message', `needs ${parts} ${encoding} SMS parts, more than cm.maxMessageParts (${cm.maxMessageParts})`);
    }
  }
  if (request.locale !== undefined) {
    if (typeof request.locale !== 'string' || !LOCALE.test(request.locale)) throw new CmValidationError('locale', 'must look like ja-JP');
    if (version === 'v1' && channel === 'voice' && !V1_VOICE_LANGUAGES.has(request.locale.slice(0, 2))) {
      throw new CmValidationError('locale', `must be one of ${[...V1_VOICE_LANGUAGES].join(', ')} for OTP API v1 voice`);
    }
  }

  let to: string;
  if (channel === 'email') {
    // The module's own rule for an address (no display name, list, invisible character or empty domain label).
    if (typeof request.to !== 'string' || !normalizeEmailAddress(request.to)) throw new CmValidationError('to', 'must be an email address for the email channel');
    to = request.to.trim();
  } else {
    const phone = cmMobileNumber(request.to, 'to', cm);
    to = version === 'v1' ? phone.international00 : phone.e164;
  }
  return { channel, to, from, digits, expirySeconds, message: request.message, appKey: request.appKey, locale: request.locale };
}

function checkFrom(from: unknown, channel: OtpChannelName, version: 'v1' | 'v2'): void {
  if (typeof from !== 'string') throw new CmValidationError('from', 'must be a text');
  if (channel === 'voice') {
    // A voice call needs a callable number as sender: E.164 in v2, `+` or `00` form in v1.
    const callable = version === 'v2' ? E164.test(from) : /^(\+|00)[1-9]\d{6,14}$/.test(from);
    if (!callable) throw new CmValidationError('from', 'must be a phone number for the voice channel');
    return;
  }
  if (version === 'v1') {
    if (!ALPHANUMERIC.test(from) && !NUMERIC_SENDER.test(from)) throw new CmValidationError('from', 'must be 3 to 11 letters/digits or a number of up to 16 digits');
    return;
  }
  if (!E164.test(from) && !ALPHANUMERIC.test(from)) throw new CmValidationError('from', 'must be an E.164 number or 3 to 11 letters/digits');
}
