import { ValidateBy, type ValidationOptions } from 'class-validator';
import { SecretValue } from '../common/secret-value.js';

/** What a secret option must look like, besides being a string or a `SecretValue`. */
export interface SecretRule {
  /** Fewest characters; a shorter secret is guessable (or a placeholder left in by mistake). */
  readonly minLength?: number;
  /** A format the secret must have (checked on the revealed value, never printed). */
  readonly pattern?: RegExp;
  /** How the format reads in the message, e.g. `a GUID`. */
  readonly patternName?: string;
}

/**
 * A secret option: a string or a `SecretValue` (kept as it is), at least `minLength` characters and
 * of the given format. The message names the rule, never the value.
 */
export function IsSecret(rule: SecretRule, options?: ValidationOptions): PropertyDecorator {
  const shape = [rule.patternName, rule.minLength ? `at least ${rule.minLength} characters` : undefined].filter(Boolean).join(', ');
  return ValidateBy(
    {
      name: 'isSecret',
      validator: {
        validate: (value: unknown) => {
          const plain = value instanceof SecretValue ? value.reveal() : value;
          if (typeof plain !== 'string') return false;
          if (rule.minLength !== undefined && plain.length < rule.minLength) return false;
          return rule.pattern === undefined || rule.pattern.test(plain);
        },
        defaultMessage: (args) => `${args?.property} must be a string or SecretValue${shape ? ` (${shape})` : ''}`,
      },
    },
    options,
  );
}
