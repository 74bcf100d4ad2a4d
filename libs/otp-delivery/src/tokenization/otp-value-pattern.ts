import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Digits only, 4 to 10: what Visa (6) and Mastercard (8) send, and what the SMS templates are sized for. */
export const DEFAULT_OTP_VALUE_PATTERN = /^\d{4,10}$/;

/**
 * `tokenization.otpValuePattern` as the pipe applies it: the whole value must match (the source
 * is anchored and the `m` flag dropped, so a second line cannot ride along), and the stateful
 * `g` / `y` flags are dropped (with them `test()` resumes from the previous match and answers
 * differently for the same code). `undefined` when the pattern does not compile or matches the
 * empty string.
 */
export function compileOtpValuePattern(pattern: RegExp | string): RegExp | undefined {
  let compiled: RegExp;
  try {
    compiled = typeof pattern === 'string' ? new RegExp(`^(?:${pattern})$`) : new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gmy]/g, ''));
  } catch {
    return undefined;
  }
  return compiled.test('') ? undefined : compiled;
}

/** A RegExp or a string source that compiles and does not match the empty string. */
export function IsOtpValuePattern(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOtpValuePattern',
      validator: { validate: (value) => (value instanceof RegExp || typeof value === 'string') && compileOtpValuePattern(value) !== undefined },
    },
    options,
  );
}
