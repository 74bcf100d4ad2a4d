import { InvalidEnvironmentError, validateEnvironment } from './validate-environment.js';

const SECRET = 'a-secret-every-replica-shares-0001';
const TLS = { TLS_CERT: 'cert.pem', TLS_KEY: 'key.pem', TLS_CLIENT_CA: 'ca.pem' };

/** The problems a boot with `env` reports (none when it boots). */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    return error.problems;
  }
}

describe('the sample app environment', () => {
  it('boots on nothing, with the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({ PORT: 3000, MANAGEMENT_PORT: 9090, ISSUER_ID: 'ISSUER0001', HEALTH_TIMEOUT_MS: 800, LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: 0, DEFAULT_REGION: 'JP' });
    expect(env.AUTH_MODE).toBeUndefined();
  });

  it('reads numbers, and comma and semicolon lists, trimmed', () => {
    const env = validateEnvironment({
      AUTH_MODE: 'trusted-proxy',
      TRUSTED_PROXIES: '10.0.0.0/8, ::1/128,192.168.1.7',
      ALLOWED_CLIENT_SUBJECTS: 'C=FR, O=Thales, CN=tsh-client; CN=tsh-backup',
      ALLOWED_COUNTRIES: 'JP,GB',
      RATE_LIMIT_PER_CARD_MAX: '3',
      MANAGEMENT_PORT: '0',
    });
    expect(env).toMatchObject({
      TRUSTED_PROXIES: ['10.0.0.0/8', '::1/128', '192.168.1.7'],
      ALLOWED_CLIENT_SUBJECTS: ['C=FR, O=Thales, CN=tsh-client', 'CN=tsh-backup'],
      ALLOWED_COUNTRIES: ['JP', 'GB'],
      RATE_LIMIT_PER_CARD_MAX: 3,
      MANAGEMENT_PORT: 0,
    });
  });

  it('requires what replicas must share once the store is Redis', () => {
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379' })).toEqual(['OTP_METHOD_ID_SECRET is required with REDIS_URL: every replica must share it']);
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379', OTP_METHOD_ID_SECRET: SECRET })).toEqual([]);
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379', OTP_METHOD_ID_SECRET: SECRET, OTP_ENGINE: 'local' })).toEqual([
      'OTP_HASH_KEY is required with REDIS_URL and OTP_ENGINE=local: every replica must verify the codes of the others',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379', OTP_METHOD_ID_SECRET: SECRET, OTP_ENGINE: 'local', OTP_HASH_KEY: SECRET })).toEqual([]);
  });

  it('takes one Redis topology, with its own settings, and never echoes a node URL', () => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:6379' })).toEqual(['OTP_METHOD_ID_SECRET is required with REDIS_CLUSTER_NODES: every replica must share it']);
    expect(problemsOf({ REDIS_SENTINELS: 'sentinel-0:26379', OTP_METHOD_ID_SECRET: SECRET })).toEqual([]);
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379', REDIS_CLUSTER_NODES: 'redis://10.0.0.1:6379', OTP_METHOD_ID_SECRET: SECRET })).toEqual([
      'REDIS_URL, REDIS_CLUSTER_NODES: set one of them (one Redis, a cluster, or Sentinel)',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD: 'pw', OTP_METHOD_ID_SECRET: SECRET })).toEqual(['REDIS_PASSWORD applies only with REDIS_SENTINELS']);
    const bad = problemsOf({ REDIS_CLUSTER_NODES: 'http://:hunter2@10.0.0.1:6379', REDIS_SENTINELS: 'sentinel-0', OTP_METHOD_ID_SECRET: SECRET });
    expect(bad).toEqual(
      expect.arrayContaining([
        'REDIS_CLUSTER_NODES must hold redis:// or rediss:// URLs such as redis://10.0.0.1:6379',
        'REDIS_SENTINELS must hold host:port entries such as sentinel-0:26379',
      ]),
    );
    expect(bad.join('\n')).not.toContain('hunter2');
  });

  it('refuses an auth mode without what it needs, and trusted-proxy settings without that mode', () => {
    expect(problemsOf({ AUTH_MODE: 'mtls' })).toEqual(['AUTH_MODE=mtls needs TLS_CERT, TLS_KEY and TLS_CLIENT_CA (this process terminates mutual TLS)']);
    expect(problemsOf({ AUTH_MODE: 'mtls', ...TLS })).toEqual([]);
    expect(problemsOf({ AUTH_MODE: 'trusted-proxy' })).toEqual([expect.stringMatching(/^AUTH_MODE=trusted-proxy needs TRUSTED_PROXIES or PROXY_SECRET/)]);
    expect(problemsOf({ AUTH_MODE: 'trusted-proxy', PROXY_SECRET: SECRET, CLIENT_CERT_HEADER: 'ssl-client-cert' })).toEqual([]);
    expect(problemsOf({ PROXY_SECRET: SECRET, CLIENT_VERIFY_HEADER: 'ssl-client-verify' })).toEqual(['PROXY_SECRET, CLIENT_VERIFY_HEADER apply only with AUTH_MODE=trusted-proxy']);
    expect(problemsOf({ TLS_CERT: 'cert.pem' })).toEqual(['TLS_CERT, TLS_KEY and TLS_CLIENT_CA must be set together']);
  });

  it('names every bad variable at once, and never its value', () => {
    const values = {
      AUTH_MODE: 'trusted-proxy',
      TRUSTED_PROXIES: '10.0.0.0/8,10.0.0.0/99',
      PROXY_SECRET_HEADER: 'X-Secret-Header',
      ALLOWED_CLIENT_FINGERPRINTS: 'abcd1234',
      ALLOWED_COUNTRIES: 'JP,*',
      STORE_FAIL_MODE: 'maybe',
      LOG_FORMAT: 'xml',
      HEALTH_TIMEOUT_MS: 'soon',
      CM_SENDER: 'AVeryLongSenderName',
      PORT: '8080',
      MANAGEMENT_PORT: '8080',
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: '100',
    };
    const problems = problemsOf(values);
    for (const name of ['TRUSTED_PROXIES', 'PROXY_SECRET_HEADER', 'ALLOWED_CLIENT_FINGERPRINTS', 'STORE_FAIL_MODE', 'LOG_FORMAT', 'HEALTH_TIMEOUT_MS', 'CM_SENDER', 'MANAGEMENT_PORT']) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
    expect(problems).toContain('ALLOWED_COUNTRIES must be * alone, or a list of countries');
    expect(problems).toContain('RATE_LIMIT_PER_CLIENT_PER_MINUTE is no longer read: use RATE_LIMIT_PER_CLIENT_MAX (with RATE_LIMIT_PER_CLIENT_WINDOW_SECONDS, default 60)');
    const text = problems.join('\n');
    for (const value of ['10.0.0.0/99', 'X-Secret-Header', 'abcd1234', 'maybe', 'xml', 'soon', 'AVeryLongSenderName']) expect(text).not.toContain(value);
  });

  it('takes an empty or blank variable for an unset one', () => {
    expect(problemsOf({ REDIS_URL: '', AUTH_MODE: '', TLS_CERT: '', PORT: '' })).toEqual([]);
    expect(validateEnvironment({ PORT: '' }).PORT).toBe(3000);
    // A blank number once read as 0: a random port, a health cache of 0 ms.
    expect(validateEnvironment({ PORT: ' ', MANAGEMENT_PORT: '\t' })).toMatchObject({ PORT: 3000, MANAGEMENT_PORT: 9090 });
  });

  it('names REDIS_URL when its password has a broken escape, and CM_PRODUCT_TOKEN when it is no GUID, never their values', () => {
    const problems = problemsOf({ REDIS_URL: 'redis://:SECRET%ZZ@127.0.0.1:6391', OTP_METHOD_ID_SECRET: 'x'.repeat(40), CM_PRODUCT_TOKEN: 'not-a-uuid-SECRET' });
    expect(problems).toEqual([expect.stringMatching(/^CM_PRODUCT_TOKEN must be a GUID/), expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/)]);
    expect(problems.join(' ')).not.toContain('SECRET');
    expect(problemsOf({ REDIS_URL: 'redis://:p%25ss@127.0.0.1:6391', OTP_METHOD_ID_SECRET: 'x'.repeat(40), CM_PRODUCT_TOKEN: '0123abcd-0000-4000-8000-00000000beef' })).toEqual([]);
    // The path is the database number ioredis selects: anything else failed after the app listened.
    for (const path of ['/abc', '/0x1', '/1/2', '?db=abc', '/?db=1x']) {
      expect(problemsOf({ REDIS_URL: `redis://:SECRET@127.0.0.1:6391${path}`, OTP_METHOD_ID_SECRET: 'x'.repeat(40) })).toEqual([expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/)]);
    }
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6391/15', OTP_METHOD_ID_SECRET: 'x'.repeat(40) })).toEqual([]);
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6391/', OTP_METHOD_ID_SECRET: 'x'.repeat(40) })).toEqual([]);
    // A subject form no certificate could match names the variable at boot.
    expect(problemsOf({ ALLOWED_CLIENT_SUBJECTS: 'CN=tsh-client;/C=FR/O=Thales/CN=tsh-client' })).toEqual([expect.stringMatching(/^ALLOWED_CLIENT_SUBJECTS entries must read CN=<name>/)]);
    expect(problemsOf({ ALLOWED_CLIENT_SUBJECTS: 'CN=tsh-client; C=FR, O=Thales, CN=tsh-client' })).toEqual([]);
    // Any GUID, as the library takes it: no RFC 4122 version or variant is required.
    expect(problemsOf({ CM_PRODUCT_TOKEN: '11111111-2222-3333-4444-555555555555' })).toEqual([]);
  });

  it('takes CM.com URLs only as http(s) URLs and the SMTP URL only as smtp(s), naming the variable (a bare word once passed, then crashed or was ignored)', () => {
    expect(problemsOf({ CM_OTP_URL: 'notaurl', CM_MESSAGING_URL: 'ftp://x.example', SMTP_URL: 'http://mail.example' })).toEqual([
      'CM_OTP_URL must be an http:// or https:// URL',
      'CM_MESSAGING_URL must be an http:// or https:// URL',
      'SMTP_URL must be an smtp:// or smtps:// URL',
    ]);
    expect(problemsOf({ CM_OTP_URL: 'http://127.0.0.1:8080', CM_MESSAGING_URL: 'https://gw.messaging.cm.com', SMTP_URL: 'smtp://mailpit:1025' })).toEqual([]);
  });

  it('takes SANDBOX_CONSOLE_HOSTS as host names only, naming the variable and never the entry', () => {
    expect(validateEnvironment({ SANDBOX_CONSOLE_HOSTS: 'Console.Dev.Example, my_box,dev-1.internal' }).SANDBOX_CONSOLE_HOSTS).toEqual(['Console.Dev.Example', 'my_box', 'dev-1.internal']);
    for (const entry of ['http://evil-3319.example', 'evil-3319.example:9090', '*.evil-3319.example', 'evil-3319.example/path', '-evil-3319.example', 'evil-3319..example', 'evil-3319.example.', '[::1]', `${'a'.repeat(64)}.evil-3319`]) {
      const problems = problemsOf({ SANDBOX_CONSOLE_HOSTS: `localhost,${entry}` });
      expect([entry, problems]).toEqual([entry, ['SANDBOX_CONSOLE_HOSTS must hold host names such as console.dev.example (no scheme, port, path or wildcard)']]);
      expect(problems.join('\n')).not.toContain('evil-3319');
    }
  });

  it('reads numbers written in decimal digits only', () => {
    expect(validateEnvironment({ PORT: ' 8080 ' }).PORT).toBe(8080);
    for (const port of ['0x1F90', '8e3', '80.5', '8080abc', '-1']) {
      const problems = problemsOf({ PORT: port });
      expect(problems).toContain('PORT must be an integer number');
      expect(problems.every((problem) => problem.startsWith('PORT '))).toBe(true);
    }
  });
});
