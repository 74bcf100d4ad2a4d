/**
 * Lets a recurring warning through at most once per interval and counts what it held back, so a
 * broken dependency shows in the logs without one line per request.
 *
 * @example
 * if (throttle.tryPass()) logger.warn('store down', { suppressed: throttle.suppressed });
 */
export class LogThrottle {
  private last = Number.NEGATIVE_INFINITY;
  private held = 0;
  /** How many calls were held back before the last one that passed. */
  suppressed = 0;

  constructor(private readonly intervalMs: number) {}

  /** True when a line may be logged now. */
  tryPass(now = Date.now()): boolean {
    if (now - this.last < this.intervalMs) {
      this.held++;
      return false;
    }
    this.suppressed = this.held;
    this.held = 0;
    this.last = now;
    return true;
  }
}
