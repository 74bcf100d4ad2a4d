import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Environment } from './environment.js';

/** Variables that only mean something with `AUTH_MODE=trusted-proxy`. */
const TRUSTED_PROXY_VARIABLES = ['TRUSTED_PROXIES', 'PROXY_SECRET', 'PROXY_SECRET_HEADER', 'CLIENT_CERT_HEADER', 'CLIENT_VERIFY_HEADER'] as const;

/** Variables an older sample app read, and what replaced them: set, they would be ignored silently. */
const REPLACED_VARIABLES: Readonly<Record<string, string>> = {
  RATE_LIMIT_PER_CLIENT_PER_MINUTE: 'RATE_LIMIT_PER_CLIENT_MAX (with RATE_LIMIT_PER_CLIENT_WINDOW_SECONDS, default 60)',
};

/** The environment does not allow a boot: `problems` names each bad variable, never its value. */
export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** `ConfigModule` validation: the app refuses to boot with every bad variable named (never its value). */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // `FOO=` in a shell or a .env file means "not set", as it does for most tools; so does `FOO=' '`
  // (a blank PORT would otherwise read as 0, a random port).
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => !(typeof value === 'string' && value.trim() === '')));
  const env = plainToInstance(Environment, given, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, validationError: { target: false, value: false } });
  const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  problems.push(...combinationProblems(env, given));
  if (problems.length > 0) {
    throw new InvalidEnvironmentError(problems);
  }
  return env;
}

/** The ways to name the Redis the replicas share: one of them at most. */
const REDIS_VARIABLES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

/** Rules across variables: what must go together, and what makes no sense together. */
function combinationProblems(env: Environment, given: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const tls = [env.TLS_CERT, env.TLS_KEY, env.TLS_CLIENT_CA].filter(Boolean).length;
  if (tls !== 0 && tls !== 3) problems.push('TLS_CERT, TLS_KEY and TLS_CLIENT_CA must be set together');
  const redis = REDIS_VARIABLES.filter((name) => env[name] !== undefined);
  if (redis.length > 1) problems.push(`${redis.join(', ')}: set one of them (one Redis, a cluster, or Sentinel)`);
  const store = redis[0];
  if (store && !env.OTP_METHOD_ID_SECRET) problems.push(`OTP_METHOD_ID_SECRET is required with ${store}: every replica must share it`);
  if (store && env.OTP_ENGINE === 'local' && !env.OTP_HASH_KEY) {
    problems.push(`OTP_HASH_KEY is required with ${store} and OTP_ENGINE=local: every replica must verify the codes of the others`);
  }
  const straySentinelSettings = (['REDIS_SENTINEL_MASTER', 'REDIS_PASSWORD'] as const).filter((name) => given[name] !== undefined);
  if (!env.REDIS_SENTINELS && straySentinelSettings.length > 0) problems.push(`${straySentinelSettings.join(', ')} ${straySentinelSettings.length > 1 ? 'apply' : 'applies'} only with REDIS_SENTINELS`);
  if (env.AUTH_MODE === 'mtls' && tls !== 3) problems.push('AUTH_MODE=mtls needs TLS_CERT, TLS_KEY and TLS_CLIENT_CA (this process terminates mutual TLS)');
  if (env.AUTH_MODE === 'trusted-proxy' && !env.TRUSTED_PROXIES && !env.PROXY_SECRET) {
    problems.push('AUTH_MODE=trusted-proxy needs TRUSTED_PROXIES or PROXY_SECRET (or both): without them anyone who reaches the app can forge the certificate headers');
  }
  const strayProxySettings = TRUSTED_PROXY_VARIABLES.filter((name) => given[name] !== undefined);
  if (env.AUTH_MODE !== 'trusted-proxy' && strayProxySettings.length > 0) {
    problems.push(`${strayProxySettings.join(', ')} apply only with AUTH_MODE=trusted-proxy`);
  }
  if (env.ALLOWED_COUNTRIES?.includes('*') && env.ALLOWED_COUNTRIES.length > 1) problems.push('ALLOWED_COUNTRIES must be * alone, or a list of countries');
  if (env.PORT !== 0 && env.PORT === env.MANAGEMENT_PORT) problems.push('MANAGEMENT_PORT must differ from PORT: the management routes never share the callback port');
  for (const [old, replacement] of Object.entries(REPLACED_VARIABLES)) {
    if (given[old] !== undefined) problems.push(`${old} is no longer read: use ${replacement}`);
  }
  return problems;
}
