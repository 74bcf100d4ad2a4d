import { randomBytes } from 'node:crypto';
import { SecretValue, toSecret } from '../common/secret-value.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { compileOtpValuePattern, DEFAULT_OTP_VALUE_PATTERN } from './otp-value-pattern.js';

/** Tokenization options with every default applied. */
export interface ResolvedTokenizationOptions {
  readonly issuerId?: string;
  readonly idempotencyWindowMs: number;
  readonly idvMethodTypes: { readonly sms: string; readonly email: string };
  readonly methodIdSecret: SecretValue;
  /** True when no key was configured: ids do not survive a restart nor cross replicas. */
  readonly methodIdSecretIsRandom: boolean;
  readonly auth: {
    readonly mode: 'mtls' | 'trusted-proxy' | 'none';
    readonly certificateHeader: string;
    readonly verifyHeader: string;
  };
  readonly statusReportSecret?: SecretValue;
  readonly otpExpirySeconds: number;
  /** `otpValuePattern`, anchored, without stateful flags. */
  readonly otpValuePattern: RegExp;
  readonly minRemainingValiditySeconds: number;
}

/** Applies the tokenization defaults (see `TokenizationOptions` for each one). */
export function resolveTokenizationOptions(options: OtpDeliveryModuleOptions): ResolvedTokenizationOptions {
  const t = options.tokenization ?? {};
  return {
    issuerId: t.issuerId,
    idempotencyWindowMs: (t.idempotencyWindowSeconds ?? 600) * 1000,
    idvMethodTypes: { sms: t.idvMethodTypes?.sms ?? 'otpBySMS', email: t.idvMethodTypes?.email ?? 'otpByEmail' },
    methodIdSecret: t.methodIdSecret ? toSecret(t.methodIdSecret) : new SecretValue(randomBytes(32).toString('hex')),
    methodIdSecretIsRandom: !t.methodIdSecret,
    auth: {
      mode: t.auth?.mode ?? 'mtls',
      certificateHeader: t.auth?.certificateHeader ?? 'x-client-cert',
      verifyHeader: t.auth?.verifyHeader ?? 'x-client-verify',
    },
    statusReportSecret: t.statusReportSecret ? toSecret(t.statusReportSecret) : undefined,
    otpExpirySeconds: t.otpExpirySeconds ?? 300,
    // Checked at boot (`IsOtpValuePattern`), so it compiles.
    otpValuePattern: compileOtpValuePattern(t.otpValuePattern ?? DEFAULT_OTP_VALUE_PATTERN)!,
    minRemainingValiditySeconds: t.minRemainingValiditySeconds ?? 60,
  };
}
