import type { SecretValue } from '../common/secret-value.js';

/** Channels CM's OTP API can deliver on (v1: `sms`, `push`, `voice`; v2: all). */
export type OtpChannelName = 'sms' | 'rcs' | 'push' | 'whatsapp' | 'viber' | 'voice' | 'email' | 'auto';

/** What to generate, and for CM, where and how to deliver it. */
export interface OtpGenerateRequest {
  /**
   * Destination: a mobile number in any accepted format (`+81 90-1234-5678`, `0081...`, national
   * with `cm.defaultRegion`), or an email address for OTP v2's `email` channel.
   * The local engine does not deliver and ignores it.
   */
  readonly to: string;
  /** @default 'sms' */
  readonly channel?: OtpChannelName;
  /** Code length. @default otp.digits */
  readonly digits?: number;
  /** Code life in seconds. @default otp.expirySeconds */
  readonly expirySeconds?: number;
  /** Custom text containing `{code}` (OTP v2 email: no placeholder). */
  readonly message?: string;
  /** Sender. @default cm.sender */
  readonly from?: string;
  /** App key, required for the `push` channel. */
  readonly appKey?: string;
  /** Voice/WhatsApp/email locale, e.g. `ja-JP`. */
  readonly locale?: string;
  /**
   * The card (or customer) the code is for: CM.com's generate sends a message, so the per-card
   * limit counts it when given (the local engine sends nothing and ignores it).
   * @example 'card-jp-0001'
   */
  readonly cardRef?: string;
  /**
   * Who asks (an app, a call-centre tool): the per-caller limit counts it; requests without one share a budget.
   * @example 'call-centre'
   */
  readonly clientId?: string;
}

/** A generated OTP. */
export interface OtpGenerated {
  /** Id to pass to `verify`. */
  readonly id: string;
  readonly channel: OtpChannelName;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /**
   * The code, only when the engine does not deliver it itself (the local engine): send it through
   * a channel, never log it. CM engines deliver the code and leave this undefined.
   */
  readonly code?: SecretValue;
}

/** Why a code was not accepted. */
export type OtpRejectionReason = 'wrong-code' | 'expired' | 'already-verified' | 'too-many-attempts' | 'not-found';

/** The answer of `verify`. */
export type OtpVerification = { readonly verified: true } | { readonly verified: false; readonly reason: OtpRejectionReason };

/** Per-call options. */
export interface OtpCallOptions {
  readonly signal?: AbortSignal;
}

/**
 * Generates and verifies issuer-side one-time passwords. Implemented by `CmOtpService` (CM's OTP
 * API, v1 or v2) and `LocalOtpEngine`; inject the one `otp.engine` selects with
 * `@Inject(OtpEngine)`.
 */
export interface OtpEngine {
  /** Creates a code (CM also sends it). Throws a validation error naming the field before any network call. */
  generate(request: OtpGenerateRequest, options?: OtpCallOptions): Promise<OtpGenerated>;
  /** Checks a code once: a right code can never be used again. */
  verify(id: string, code: string | SecretValue, options?: OtpCallOptions): Promise<OtpVerification>;
}

/** DI token of the selected engine. Same name as the contract, as in `@nestjs/throttler`. */
export const OtpEngine = Symbol('OtpEngine');
