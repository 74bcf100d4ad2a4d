import type { OtpStore } from '../store/otp-store.interface.js';

/**
 * Renews the leases this process holds, all on one timer: a lease lives `leaseMs` without renewal
 * and is renewed every third of that while its owner works, so a live owner keeps it however long
 * the work takes, and a crashed owner's lease ends at most `leaseMs` after its last renewal. One
 * shared timer (stopped while nothing is held) costs a request nothing but a map entry.
 */
export class LeaseKeeper {
  readonly #held = new Map<string, string>();
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: OtpStore,
    private readonly leaseMs: number,
    /** Told when a renewal finds the lease gone or the store unreachable (another may run the work now). */
    private readonly onLost: (reason: 'expired' | 'store-unavailable') => void,
  ) {}

  /** Starts renewing `key` while it holds `token`. */
  hold(key: string, token: string): void {
    this.#held.set(key, token);
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#renewAll(), Math.max(1, Math.floor(this.leaseMs / 3)));
      // Housekeeping must never keep a process (or a shutting-down pod) alive.
      this.#timer.unref();
    }
  }

  /** Stops renewing `key`. */
  release(key: string): void {
    this.#held.delete(key);
    if (this.#held.size === 0) this.stop();
  }

  /** Stops the timer (shutdown). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #renewAll(): Promise<void> {
    await Promise.all(
      [...this.#held].map(async ([key, token]) => {
        try {
          if (!(await this.store.renew(key, token, this.leaseMs)) && this.#held.get(key) === token) {
            this.#held.delete(key);
            this.onLost('expired');
          }
        } catch {
          this.onLost('store-unavailable');
        }
      }),
    );
    if (this.#held.size === 0) this.stop();
  }
}
