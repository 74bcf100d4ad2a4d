/**
 * The store could not answer (Redis down, unreachable or too slow). Callers decide what that
 * means through `store.failMode`; the message names the operation, never a key or a value.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    /** The store operation that failed, e.g. `consume`. */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`OTP store unavailable during ${operation}`, options);
  }
}
