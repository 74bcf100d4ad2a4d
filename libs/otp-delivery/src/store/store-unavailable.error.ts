/**
 * The store could not answer (Redis down, unreachable or too slow). Callers decide what that
 * means through `store.failMode`; the message names the operation, never a key or a value.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  /**
   * Whether the command may have reached the store: false only when the client refused it before
   * sending (disconnected, no offline queue), so it ran nowhere. A timeout or a connection dropped
   * with the command in flight leaves it unknown: it may run, or have run, all the same.
   */
  readonly sent: boolean;

  constructor(
    /** The store operation that failed, e.g. `consume`. */
    readonly operation: string,
    options?: { cause?: unknown; sent?: boolean },
  ) {
    super(`OTP store unavailable during ${operation}`, options);
    this.sent = options?.sent ?? true;
  }
}
