import { AsyncLocalStorage } from 'node:async_hooks';

/** What travels with one request through every await. */
export interface OtpRequestState {
  /** The `x-correlation-id` of the tokenization call, or one made up for the request. */
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<OtpRequestState>();

/**
 * Carries the correlation id of the current request through async code, for an app whose own code
 * logs within a request. The module runs none itself: its callbacks pass their correlation id to
 * what they log, because on Node 20 an `AsyncLocalStorage` in use costs every request of the
 * process (every promise goes through its hooks; about a sixth of the callbacks' throughput,
 * BENCHMARKS.md). Run one in a middleware if you want it; the module's lines without an id of
 * their own then take it.
 *
 * @example
 * await OtpRequestContext.run(req.headers['x-correlation-id'] ?? randomUUID(), () => service.handle(body));
 * // anywhere below: OtpRequestContext.correlationId()
 */
export const OtpRequestContext = {
  /** Runs `fn` (and everything it awaits) with this correlation id as the current one. */
  run<T>(correlationId: string, fn: () => T): T {
    return storage.run({ correlationId }, fn);
  },

  /** The current request's state, or undefined outside `run`. */
  current(): OtpRequestState | undefined {
    return storage.getStore();
  },

  /** Shortcut for `current()?.correlationId`. */
  correlationId(): string | undefined {
    return storage.getStore()?.correlationId;
  },
};
