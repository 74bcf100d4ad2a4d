/** How a full store's refusal begins: the health check tells a full store from an unreachable one by it (its cached answer keeps only the message). */
export const STORE_FULL_MESSAGE = 'OTP store full during';

/**
 * The store could not answer (Redis down, unreachable or too slow), or is full (`full`: the memory
 * store at `store.maxEntries`, Redis at `maxmemory` under `noeviction`). Callers decide what an unreachable store means through
 * `store.failMode`; a full one refuses sends in either mode. The message names the operation,
 * never a key or a value.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  /**
   * Whether the command may have reached the store: false only when the client refused it before
   * sending (disconnected, no offline queue), so it ran nowhere. A timeout or a connection dropped
   * with the command in flight leaves it unknown: it may run, or have run, all the same.
   */
  readonly sent: boolean;

  /**
   * Whether the store refused because it is full (the memory store at `store.maxEntries`, Redis
   * answering `OOM` at `maxmemory` under `noeviction`): it
   * answers, but has no room for a new key until entries expire. Nothing was written.
   */
  readonly full: boolean;

  constructor(
    /** The store operation that failed, e.g. `consume`. */
    readonly operation: string,
    options?: { cause?: unknown; sent?: boolean; full?: boolean },
  ) {
    super(options?.full ? `${STORE_FULL_MESSAGE} ${operation}` : `OTP store unavailable during ${operation}`, options);
    this.sent = options?.sent ?? true;
    this.full = options?.full ?? false;
  }
}
