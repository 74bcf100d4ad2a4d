import { ConfigService } from '@nestjs/config';
import { Registry } from 'prom-client';
import { SecretValue } from 'nestjs-otp-delivery';
import type { EmbeddedSandboxes } from '../sandboxes/embedded-sandboxes.js';
import type { Environment } from './environment.js';
import { buildOtpDeliveryOptions } from './otp-delivery-options.factory.js';
import { validateEnvironment } from './validate-environment.js';

const SECRET = 'a-secret-every-replica-shares-0001';
/** No sandbox: every dependency is "real" (the environment names it). */
const NO_SANDBOXES = { cm: undefined, emailOutbox: undefined, statusReportSecret: new SecretValue(SECRET), channelsOff: [] } as unknown as EmbeddedSandboxes;

/** The module options the app builds from `raw`, as at boot (validated first, the process environment not consulted). */
function optionsFor(raw: Record<string, string>) {
  const config = new ConfigService<Environment, true>(validateEnvironment(raw) as unknown as Record<string, unknown>);
  (config as unknown as { skipProcessEnv: boolean }).skipProcessEnv = true;
  return buildOtpDeliveryOptions(config, NO_SANDBOXES, new Registry());
}

describe('the module options the sample app builds from its environment', () => {
  it('names the issuer after the SMS sender unless ISSUER_NAME says otherwise, and MyBank without either', () => {
    expect(optionsFor({}).templates?.issuerName).toBe('MyBank');
    expect(optionsFor({ CM_SENDER: 'AcmeBank' })).toMatchObject({ cm: { sender: 'AcmeBank' }, templates: { issuerName: 'AcmeBank' } });
    expect(optionsFor({ CM_SENDER: 'AcmeBank', ISSUER_NAME: 'Acme Card Services' }).templates?.issuerName).toBe('Acme Card Services');
  });

  it('authenticates callers by mutual TLS when TLS_* are set, by nobody otherwise, and as AUTH_MODE says when set', () => {
    expect(optionsFor({}).tokenization?.auth?.mode).toBe('none');
    expect(optionsFor({ TLS_CERT: 'c.pem', TLS_KEY: 'k.pem', TLS_CLIENT_CA: 'ca.pem' }).tokenization?.auth?.mode).toBe('mtls');
    const proxied = optionsFor({
      AUTH_MODE: 'trusted-proxy',
      TRUSTED_PROXIES: '10.0.0.0/8',
      PROXY_SECRET: SECRET,
      PROXY_SECRET_HEADER: 'x-ingress-auth',
      CLIENT_CERT_HEADER: 'ssl-client-cert',
      CLIENT_VERIFY_HEADER: 'ssl-client-verify',
      ALLOWED_CLIENT_SUBJECTS: 'CN=tsh-client',
      ALLOWED_CLIENT_FINGERPRINTS: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    });
    expect(proxied.tokenization?.auth).toEqual({
      mode: 'trusted-proxy',
      trustedProxies: ['10.0.0.0/8'],
      proxySecret: SECRET,
      proxySecretHeader: 'x-ingress-auth',
      certificateHeader: 'ssl-client-cert',
      verifyHeader: 'ssl-client-verify',
      allowedSubjects: ['CN=tsh-client'],
      allowedFingerprints: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    });
  });

  it('maps the store, the limits, the countries and health', () => {
    const options = optionsFor({
      REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
      OTP_METHOD_ID_SECRET: SECRET,
      REDIS_KEY_PREFIX: 'issuer-a:',
      STORE_FAIL_MODE: 'open',
      OTP_ENGINE: 'local',
      OTP_HASH_KEY: SECRET,
      RATE_LIMIT_PER_CARD_MAX: '3',
      RATE_LIMIT_PER_CARD_WINDOW_SECONDS: '900',
      RATE_LIMIT_PER_DESTINATION_MAX: '10',
      RATE_LIMIT_PER_CLIENT_WINDOW_SECONDS: '30',
      ALLOWED_COUNTRIES: '*',
      HEALTH_CACHE_TTL_MS: '5000',
    });
    expect(options).toMatchObject({
      store: { type: 'redis', redisUrl: 'rediss://:pw@redis.internal:6380/2', keyPrefix: 'issuer-a:', failMode: 'open' },
      otp: { engine: 'local', hashKey: SECRET },
      tokenization: { methodIdSecret: SECRET, issuerId: 'ISSUER0001' },
      limits: { perCard: { max: 3, windowSeconds: 900 }, perDestination: { max: 10 }, perClient: { windowSeconds: 30 } },
      health: { timeoutMs: 800, cacheTtlMs: 5000 },
      metrics: { enabled: true },
    });
    expect(options.limits?.allowedCountries).toBeUndefined();
    expect(optionsFor({}).limits?.allowedCountries).toEqual(['JP', 'GB', 'US', 'DE', 'FR', 'NL']);
    expect(optionsFor({}).store).toEqual({ type: 'memory', failMode: undefined });
  });

  it('maps a Redis Cluster and Redis behind Sentinel', () => {
    expect(optionsFor({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:6379, redis://:pw@10.0.0.2:6379', OTP_METHOD_ID_SECRET: SECRET }).store).toEqual({
      type: 'redis',
      cluster: { nodes: ['redis://10.0.0.1:6379', 'redis://:pw@10.0.0.2:6379'] },
      keyPrefix: undefined,
      failMode: undefined,
    });
    expect(optionsFor({ REDIS_SENTINELS: 'sentinel-0:26379,[::1]:26380', REDIS_SENTINEL_MASTER: 'otp', REDIS_PASSWORD: 'pw', OTP_METHOD_ID_SECRET: SECRET }).store).toMatchObject({
      type: 'redis',
      redis: { sentinels: [{ host: 'sentinel-0', port: 26379 }, { host: '::1', port: 26380 }], name: 'otp', password: 'pw' },
    });
    expect(optionsFor({ REDIS_SENTINELS: 'sentinel-0:26379', OTP_METHOD_ID_SECRET: SECRET }).store).toMatchObject({ redis: { name: 'mymaster' } });
  });
});
