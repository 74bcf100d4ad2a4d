/** Why a delivery's signal fired. */
export class DeliveryStop extends Error {
  constructor(readonly reason: 'timeout' | 'cancelled') {
    super(reason === 'timeout' ? 'delivery deadline passed' : 'delivery cancelled');
  }
}

/**
 * One delivery's deadline and cancellation: the signal its channels get, and a race of each step
 * against it. The race is told directly when the run stops, rather than through a listener added to
 * and removed from the signal at every step (an EventTarget listener costs more than the step).
 */
export class DeliveryRun {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal?: AbortSignal;
  readonly #onCallerAbort = (): void => this.stop('cancelled');
  /** Rejects the race in progress, if any. */
  #interrupt?: (reason: unknown) => void;

  /** Starts the deadline; a caller's signal that fires (or has fired) cancels the run. */
  constructor(deadlineMs: number, callerSignal?: AbortSignal) {
    // The caller's signal first: if it is no signal and throws, no timer is left behind.
    if (callerSignal) {
      callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true });
      this.#callerSignal = callerSignal;
      if (callerSignal.aborted) this.stop('cancelled');
    }
    this.#timer = setTimeout(() => this.stop('timeout'), deadlineMs);
  }

  /** Fires with a `DeliveryStop` when the deadline passes or the run is cancelled. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the run (once): the signal fires and the race in progress rejects with its reason. */
  stop(reason: 'timeout' | 'cancelled'): void {
    const signal = this.#controller.signal;
    if (signal.aborted) return;
    this.#controller.abort(new DeliveryStop(reason));
    this.#interrupt?.(signal.reason);
  }

  /** Settles with the promise, or rejects as soon as the run stops (a channel may ignore its signal). */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      // Whatever the step does now is not awaited: its failure must not go unhandled.
      promise.catch(() => undefined);
      return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      this.#interrupt = reject;
      promise.then(resolve, reject);
    });
  }

  /** Ends the run: the deadline timer and the caller's listener go. */
  end(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
    this.#interrupt = undefined;
  }
}
