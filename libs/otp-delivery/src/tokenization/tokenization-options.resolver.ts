import { SecretValue, toSecret } from '../common/secret-value.js';
import type { TokenizationOptions } from './tokenization-options.js';
import { deriveCallbackKeys, type CallbackKeys } from './callback-keys.js';
import { compileOtpValuePattern, DEFAULT_OTP_VALUE_PATTERN } from './otp-value-pattern.js';

/** How much longer than a delivery may take an idempotency lease lives without renewal. */
const LEASE_MARGIN_MS = 2_000;

/** Tokenization options with every default applied. */
export interface ResolvedTokenizationOptions {
  readonly issuerId?: string;
  readonly idempotencyWindowMs: number;
  readonly idvMethodTypes: { readonly sms: string; readonly email: string };
  /** Keys derived from `methodIdSecret` (random per process when it is unset). */
  readonly keys: CallbackKeys;
  /** True when no key was configured: ids do not survive a restart nor cross replicas. */
  readonly methodIdSecretIsRandom: boolean;
  /**
   * Life of the in-flight claim of an idempotent callback without renewal: the delivery deadline
   * plus a margin. Its owner renews it while it works; a crashed owner's claim expires this long
   * after its last renewal, and a retry then runs the work again.
   */
  readonly idempotencyLeaseMs: number;
  readonly auth: {
    readonly mode: 'mtls' | 'trusted-proxy' | 'none';
    readonly certificateHeader: string;
    readonly verifyHeader: string;
    /** CIDRs the ingress connects from (trusted-proxy mode); undefined: no address check. */
    readonly trustedProxies?: readonly string[];
    readonly proxySecretHeader: string;
    /** The ingress's shared secret (trusted-proxy mode); undefined: no secret check. */
    readonly proxySecret?: SecretValue;
    readonly allowedSubjects?: readonly string[];
    readonly allowedFingerprints?: readonly string[];
  };
  readonly statusReportSecret?: SecretValue;
  readonly otpExpirySeconds: number;
  /** `otpValuePattern`, anchored, without stateful flags. */
  readonly otpValuePattern: RegExp;
  readonly minRemainingValiditySeconds: number;
  /** Region of national phone numbers in contact data (`cm.defaultRegion`), for D1 consumer info. */
  readonly defaultRegion?: string;
}

/** What the tokenization options derive from other features. */
export interface TokenizationResolveContext {
  /** `delivery.deadlineMs`: an idempotency lease outlives one delivery. @default 5000 */
  readonly deliveryDeadlineMs?: number;
  /** `cm.defaultRegion`. */
  readonly defaultRegion?: string;
}

/** Applies the tokenization defaults (see `TokenizationOptions` for each one). */
export function resolveTokenizationOptions(tokenization: TokenizationOptions | undefined, context: TokenizationResolveContext = {}): ResolvedTokenizationOptions {
  const t = tokenization ?? {};
  return {
    issuerId: t.issuerId,
    idempotencyWindowMs: (t.idempotencyWindowSeconds ?? 600) * 1000,
    idvMethodTypes: { sms: t.idvMethodTypes?.sms ?? 'otpBySMS', email: t.idvMethodTypes?.email ?? 'otpByEmail' },
    keys: deriveCallbackKeys(t.methodIdSecret ? toSecret(t.methodIdSecret).reveal() : undefined),
    methodIdSecretIsRandom: !t.methodIdSecret,
    idempotencyLeaseMs: (context.deliveryDeadlineMs ?? 5000) + LEASE_MARGIN_MS,
    auth: {
      mode: t.auth?.mode ?? 'mtls',
      certificateHeader: t.auth?.certificateHeader ?? 'x-client-cert',
      verifyHeader: t.auth?.verifyHeader ?? 'x-client-verify',
      trustedProxies: t.auth?.trustedProxies,
      proxySecretHeader: t.auth?.proxySecretHeader ?? 'x-proxy-secret',
      proxySecret: t.auth?.proxySecret ? toSecret(t.auth.proxySecret) : undefined,
      allowedSubjects: t.auth?.allowedSubjects,
      allowedFingerprints: t.auth?.allowedFingerprints,
    },
    statusReportSecret: t.statusReportSecret ? toSecret(t.statusReportSecret) : undefined,
    otpExpirySeconds: t.otpExpirySeconds ?? 300,
    // Checked at boot (`IsOtpValuePattern`), so it compiles.
    otpValuePattern: compileOtpValuePattern(t.otpValuePattern ?? DEFAULT_OTP_VALUE_PATTERN)!,
    minRemainingValiditySeconds: t.minRemainingValiditySeconds ?? 60,
    defaultRegion: context.defaultRegion,
  };
}
