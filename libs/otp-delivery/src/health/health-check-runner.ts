import { performance } from 'node:perf_hooks';

/** How one run of a check ended. */
export interface HealthCheckOutcome {
  readonly status: 'up' | 'down';
  /** Data to report: what the caller gave, plus `message` when down. */
  readonly data: Record<string, unknown>;
  /** Milliseconds the check took (rounded). */
  readonly responseTime: number;
  /** True when this outcome was settled before it was asked for (a cached result). */
  readonly cachedResponse: boolean;
}

interface Entry {
  readonly outcome: Promise<Omit<HealthCheckOutcome, 'cachedResponse'>>;
  settled: boolean;
  expiresAt: number;
}

/**
 * Longest a failed result is reused, whatever `cacheTtlMs` says: a dependency back after a blip of
 * half a second must not keep readiness at 503 (every replica out of the load balancer) for the
 * whole cache time, while a second still spares it a stampede of probes during an outage.
 */
const FAILED_CACHE_TTL_MS = 1_000;

/** What a failing check reports: a message that holds no secret (the caller scrubs it). */
export type DescribeFailure = (error: unknown) => string;

/**
 * Runs health checks with a timeout (the check gets an `AbortSignal` that fires then), shares one
 * in-flight run among concurrent callers of the same key, and reuses a settled result for
 * `cacheTtlMs` (a failed one for a second at most). A check that throws, rejects or times out is `down`, never an exception: Terminus
 * answers 503 for a down result, but 500 for a thrown error.
 */
export class HealthCheckRunner {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly options: { readonly timeoutMs: number; readonly cacheTtlMs: number },
    private readonly describeFailure: DescribeFailure,
  ) {}

  /** The outcome of `check` under `cacheKey`: shared while in flight, cached once settled. */
  async run(cacheKey: string, check: (signal: AbortSignal) => Promise<unknown>, data: Record<string, unknown> = {}): Promise<HealthCheckOutcome> {
    const cached = this.#entries.get(cacheKey);
    if (cached && (!cached.settled || cached.expiresAt > Date.now())) {
      const cachedResponse = cached.settled;
      return { ...(await cached.outcome), cachedResponse };
    }
    const entry: Entry = { outcome: this.#attempt(check, data), settled: false, expiresAt: 0 };
    this.#entries.set(cacheKey, entry);
    const outcome = await entry.outcome;
    entry.settled = true;
    entry.expiresAt = Date.now() + (outcome.status === 'up' ? this.options.cacheTtlMs : Math.min(this.options.cacheTtlMs, FAILED_CACHE_TTL_MS));
    return { ...outcome, cachedResponse: false };
  }

  async #attempt(check: (signal: AbortSignal) => Promise<unknown>, data: Record<string, unknown>): Promise<Omit<HealthCheckOutcome, 'cachedResponse'>> {
    const started = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timeout of ${this.options.timeoutMs}ms exceeded`));
    }, this.options.timeoutMs);
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
    try {
      // The race answers at the timeout even when the check ignores its signal.
      await Promise.race([Promise.resolve().then(() => check(controller.signal)), aborted]);
      return { status: 'up', data, responseTime: elapsed(started) };
    } catch (error) {
      const message = timedOut ? `timeout of ${this.options.timeoutMs}ms exceeded` : this.describeFailure(error);
      return { status: 'down', data: { ...data, message }, responseTime: elapsed(started) };
    } finally {
      clearTimeout(timer);
      // Whatever the check still does (a socket, a retry) is cancelled once its answer is in.
      controller.abort();
    }
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
