import type { ConfigService } from '@nestjs/config';
import type { OtpDeliveryModuleOptions } from 'nestjs-otp-delivery';
import type { EmbeddedSandboxes } from '../sandboxes/embedded-sandboxes.js';
import type { Environment } from './environment.js';

/** Maps the environment onto the module options (the README's environment table). */
export function buildOtpDeliveryOptions(config: ConfigService<Environment, true>, sandboxes: EmbeddedSandboxes): OtpDeliveryModuleOptions {
  // ConfigService falls back to process.env, where `FOO=` is an empty string: that means unset.
  const env = <K extends keyof Environment>(key: K): Environment[K] | undefined => {
    const value = config.get(key, { infer: true });
    return value === '' ? undefined : value;
  };
  const redisUrl = env('REDIS_URL');
  return {
    cm: {
      productToken: sandboxes.cm?.productToken ?? env('CM_PRODUCT_TOKEN'),
      otpBaseUrl: sandboxes.cm?.url ?? env('CM_OTP_URL'),
      messagingBaseUrl: sandboxes.cm?.url ?? env('CM_MESSAGING_URL'),
      sender: env('CM_SENDER') ?? 'MyBank',
      defaultRegion: 'JP',
      // Japanese carriers accept 10 parts; the sample app sends Japanese text.
      maxMessageParts: 10,
    },
    email: {
      smtpUrl: env('SMTP_URL'),
      outbox: sandboxes.emailOutbox,
      from: env('EMAIL_FROM') ?? 'MyBank <otp@email.mybank.example>',
    },
    templates: { issuerName: 'MyBank' },
    store: redisUrl ? { type: 'redis', redisUrl } : { type: 'memory' },
    delivery: { deadlineMs: env('DELIVERY_DEADLINE_MS') },
    tokenization: {
      issuerId: issuerIdOf(config),
      methodIdSecret: env('OTP_METHOD_ID_SECRET'),
      // Without TLS_* the app speaks plain HTTP: mutual TLS cannot be checked, so the callbacks
      // accept any caller (the library warns at boot). Never run like that outside a laptop.
      auth: { mode: env('TLS_CERT') ? 'mtls' : 'none' },
      // Unset: a random secret only this process knows, so the endpoint refuses every call from
      // outside, and the sandbox console can still post simulated receipts.
      statusReportSecret: sandboxes.statusReportSecret,
    },
    metrics: { enabled: true },
    limits: {
      allowedCountries: ['JP', 'GB', 'US', 'DE', 'FR', 'NL'],
      perClient: { max: env('RATE_LIMIT_PER_CLIENT_PER_MINUTE') ?? 600, windowSeconds: 60 },
    },
  };
}

/** The issuer id the callbacks expect: `ISSUER_ID`, else the sample's own. */
export function issuerIdOf(config: ConfigService<Environment, true>): string {
  return config.get('ISSUER_ID', { infer: true }) || 'ISSUER0001';
}
