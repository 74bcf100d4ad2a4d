import { randomBytes } from 'node:crypto';
import {
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidatorConstraint,
  Validate,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import { IsSecret } from '../options/is-secret.decorator.js';
import { toSecret, type SecretValue } from '../common/secret-value.js';

/** Rules NIST SP 800-63B and the security spec set for codes the module generates itself. */
@ValidatorConstraint({ name: 'localEngineLimits' })
class LocalEngineLimits implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const options = args.object as OtpEngineOptions;
    if (options.engine !== 'local' || typeof value !== 'number') return true;
    return args.property === 'digits' ? value >= 6 : value <= 600;
  }

  defaultMessage(args: ValidationArguments): string {
    return args.property === 'digits' ? 'digits must be at least 6 with the local engine' : 'expirySeconds must be at most 600 with the local engine';
  }
}

/** Which engine generates and verifies issuer-side codes, and its security settings. */
export class OtpEngineOptions {
  /**
   * `cm`: CM.com's OTP API generates, sends and verifies (version from `cm.otpApiVersion`).
   * `local`: the embedded engine generates and verifies; a channel sends the code.
   * @default 'cm'
   * @example 'local'
   */
  @IsOptional()
  @IsIn(['cm', 'local'], { message: "engine must be 'cm' or 'local'" })
  engine?: 'cm' | 'local';

  /**
   * Code length. CM accepts 4 to 10; the local engine needs at least 6 (about 20 bits).
   * @default 6
   * @example 8
   */
  @IsOptional()
  @IsInt({ message: 'digits must be an integer' })
  @Min(4, { message: 'digits must be at least 4' })
  @Max(10, { message: 'digits must be at most 10' })
  @Validate(LocalEngineLimits)
  digits?: number;

  /**
   * Code life in seconds. CM accepts 10 to 3600; the local engine allows at most 600 (10 minutes).
   * @default 300
   * @example 180
   */
  @IsOptional()
  @IsInt({ message: 'expirySeconds must be an integer' })
  @Min(10, { message: 'expirySeconds must be at least 10' })
  @Max(3600, { message: 'expirySeconds must be at most 3600' })
  @Validate(LocalEngineLimits)
  expirySeconds?: number;

  /**
   * Wrong attempts after which a local code is locked.
   * @default 5
   * @example 3
   */
  @IsOptional()
  @IsInt({ message: 'maxAttempts must be an integer' })
  @Min(1, { message: 'maxAttempts must be at least 1' })
  @Max(100, { message: 'maxAttempts must be at most 100' })
  maxAttempts?: number;

  /**
   * Key of the HMAC-SHA256 under which local codes are stored. When unset a random key is made
   * per process: fine for one process. Required (the same on every replica) with the local engine
   * and `store.type: 'redis'`, or a code made on one replica could not be verified on another.
   * @default a random 32-byte key per process (memory store only)
   * @example process.env.OTP_HASH_KEY
   */
  @IsOptional()
  @IsSecret({ minLength: 32 })
  @KeepAsIs()
  hashKey?: string | SecretValue;
}

/** `OtpEngineOptions` with defaults applied. */
export interface ResolvedOtpEngineOptions {
  readonly engine: 'cm' | 'local';
  readonly digits: number;
  readonly expirySeconds: number;
  readonly maxAttempts: number;
  readonly hashKey: SecretValue;
}

/**
 * What the engine options get wrong with the store: with the local engine on a shared store, a key
 * per process would make every code unverifiable on the other replicas.
 */
export function otpEngineOptionProblems(options: OtpEngineOptions | undefined, storeType: 'memory' | 'redis'): string[] {
  if (options?.engine !== 'local' || storeType !== 'redis' || options.hashKey !== undefined) return [];
  return ["otp.hashKey is required with otp.engine 'local' and store.type 'redis': every replica must hash codes with the same key"];
}

/** Applies the documented defaults of `OtpEngineOptions`. */
export function resolveOtpEngineOptions(options: OtpEngineOptions | undefined): ResolvedOtpEngineOptions {
  return {
    engine: options?.engine ?? 'cm',
    digits: options?.digits ?? 6,
    expirySeconds: options?.expirySeconds ?? 300,
    maxAttempts: options?.maxAttempts ?? 5,
    hashKey: options?.hashKey ? toSecret(options.hashKey) : toSecret(randomBytes(32).toString('base64')),
  };
}
