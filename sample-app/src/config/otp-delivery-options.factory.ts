import type { ConfigService } from '@nestjs/config';
import type { MetricsRegistry, OtpDeliveryModuleOptions, StoreOptions } from 'nestjs-otp-delivery';
import { hostPortOf } from './environment-lists.js';
import type { EmbeddedSandboxes } from '../sandboxes/embedded-sandboxes.js';
import type { Environment } from './environment.js';

/** Maps the environment onto the module options (the README's environment table). */
export function buildOtpDeliveryOptions(config: ConfigService<Environment, true>, sandboxes: EmbeddedSandboxes, registry: MetricsRegistry): OtpDeliveryModuleOptions {
  // The validated environment only (`skipProcessEnv`): a blank variable is not in it.
  const env = <K extends keyof Environment>(key: K): Environment[K] | undefined => config.get(key, { infer: true });
  const redis = redisOf(env);
  const countries = env('ALLOWED_COUNTRIES') ?? ['JP', 'GB', 'US', 'DE', 'FR', 'NL'];
  return {
    cm: {
      productToken: sandboxes.cm?.productToken ?? env('CM_PRODUCT_TOKEN'),
      otpBaseUrl: sandboxes.cm?.url ?? env('CM_OTP_URL'),
      messagingBaseUrl: sandboxes.cm?.url ?? env('CM_MESSAGING_URL'),
      sender: env('CM_SENDER') ?? 'MyBank',
      defaultRegion: env('DEFAULT_REGION'),
      // Japanese carriers accept 10 parts; the sample app sends Japanese text.
      maxMessageParts: 10,
    },
    // With one provider real, the other's channel is off, not sandboxed (EmbeddedSandboxes).
    channels: Object.fromEntries(sandboxes.channelsOff.map((channel) => [channel, false])),
    otp: { engine: env('OTP_ENGINE'), hashKey: env('OTP_HASH_KEY') },
    email: {
      smtpUrl: env('SMTP_URL'),
      allowCleartextSmtp: env('SMTP_ALLOW_CLEARTEXT') === 'true',
      outbox: sandboxes.emailOutbox,
      from: env('EMAIL_FROM'),
    },
    templates: { issuerName: env('ISSUER_NAME') ?? env('CM_SENDER') ?? 'MyBank' },
    store: redis ? { type: 'redis', ...redis, keyPrefix: env('REDIS_KEY_PREFIX'), failMode: env('STORE_FAIL_MODE') } : { type: 'memory', failMode: env('STORE_FAIL_MODE') },
    delivery: { deadlineMs: env('DELIVERY_DEADLINE_MS') },
    tokenization: {
      issuerId: env('ISSUER_ID'),
      methodIdSecret: env('OTP_METHOD_ID_SECRET'),
      auth: {
        // Without TLS_* the app speaks plain HTTP: mutual TLS cannot be checked, so unless an
        // ingress vouches for callers (trusted-proxy) the callbacks accept any caller (warned at boot).
        mode: env('AUTH_MODE') ?? (env('TLS_CERT') ? 'mtls' : 'none'),
        trustedProxies: env('TRUSTED_PROXIES'),
        proxySecret: env('PROXY_SECRET'),
        proxySecretHeader: env('PROXY_SECRET_HEADER'),
        certificateHeader: env('CLIENT_CERT_HEADER'),
        verifyHeader: env('CLIENT_VERIFY_HEADER'),
        allowedSubjects: env('ALLOWED_CLIENT_SUBJECTS'),
        allowedFingerprints: env('ALLOWED_CLIENT_FINGERPRINTS'),
      },
      // Unset: a random secret only this process knows, so the endpoint refuses every call from
      // outside, and the sandbox console can still post simulated receipts.
      statusReportSecret: sandboxes.statusReportSecret,
    },
    health: { timeoutMs: env('HEALTH_TIMEOUT_MS'), cacheTtlMs: env('HEALTH_CACHE_TTL_MS') },
    // The app's registry: /metrics on the management port serves the library's metrics with the process's.
    metrics: { enabled: true, registry },
    limits: {
      allowedCountries: countries.includes('*') ? undefined : countries,
      perCard: { max: env('RATE_LIMIT_PER_CARD_MAX'), windowSeconds: env('RATE_LIMIT_PER_CARD_WINDOW_SECONDS') },
      perDestination: { max: env('RATE_LIMIT_PER_DESTINATION_MAX'), windowSeconds: env('RATE_LIMIT_PER_DESTINATION_WINDOW_SECONDS') },
      perClient: { max: env('RATE_LIMIT_PER_CLIENT_MAX'), windowSeconds: env('RATE_LIMIT_PER_CLIENT_WINDOW_SECONDS') },
    },
  };
}

/** Where the shared Redis is: one server (`REDIS_URL`), a cluster, or a master found through Sentinel. */
function redisOf(env: <K extends keyof Environment>(key: K) => Environment[K] | undefined): Pick<StoreOptions, 'redisUrl' | 'redis' | 'cluster'> | undefined {
  const url = env('REDIS_URL');
  if (url) return { redisUrl: url };
  const nodes = env('REDIS_CLUSTER_NODES');
  if (nodes) return { cluster: { nodes } };
  const sentinels = env('REDIS_SENTINELS');
  if (!sentinels) return undefined;
  const password = env('REDIS_PASSWORD');
  return {
    redis: {
      sentinels: sentinels.map((entry) => hostPortOf(entry)!),
      name: env('REDIS_SENTINEL_MASTER') ?? 'mymaster',
      ...(password ? { password } : {}),
    },
  };
}
