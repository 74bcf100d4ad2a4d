import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Environment } from './environment.js';

/** `ConfigModule` validation: the app refuses to boot with every bad variable named (never its value). */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // `FOO=` in a shell or a .env file means "not set", as it does for most tools.
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const env = plainToInstance(Environment, given, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, validationError: { target: false, value: false } });
  const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  const tls = [env.TLS_CERT, env.TLS_KEY, env.TLS_CLIENT_CA].filter(Boolean).length;
  if (tls !== 0 && tls !== 3) problems.push('TLS_CERT, TLS_KEY and TLS_CLIENT_CA must be set together');
  if (env.REDIS_URL && !env.OTP_METHOD_ID_SECRET) problems.push('OTP_METHOD_ID_SECRET is required with REDIS_URL: every replica must share it');
  if (problems.length > 0) {
    throw new Error(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return env;
}
