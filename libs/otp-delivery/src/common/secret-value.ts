import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A value that must never be printed: an OTP, a product token, a webhook secret.
 *
 * `String(secret)`, template literals, `JSON.stringify`, `console.log` and Nest's logger all see
 * `[redacted]`; only an explicit `reveal()` gives the value, so every place that needs it is
 * easy to find in review.
 *
 * @example
 * const token = new SecretValue(process.env.CM_PRODUCT_TOKEN!);
 * headers['X-CM-ProductToken'] = token.reveal();
 */
export class SecretValue<T extends string = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** Answers the secret itself. Call it only where the value leaves for its one destination. */
  reveal(): T {
    return this.#value;
  }

  /** The secret's length, for validation messages that must not show the value. */
  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

/** Wraps a plain string, leaves a `SecretValue` as it is. */
export function toSecret<T extends string>(value: T | SecretValue<T>): SecretValue<T> {
  return value instanceof SecretValue ? value : new SecretValue(value);
}
