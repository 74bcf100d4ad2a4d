import { setTimeout as sleep } from 'node:timers/promises';

/** Pause after the first failed attempt; doubled after each further one, up to `MAX_PAUSE_MS`. */
const FIRST_PAUSE_MS = 50;
const MAX_PAUSE_MS = 1_000;

/**
 * Runs `attempt` until it resolves or the clock passes `deadline` (epoch ms): for a store write
 * that must land although the answer to the request does not wait for it (a callback's outcome,
 * the undo of a claim whose answer was lost). A dropped Redis connection refuses commands for the
 * 100 ms or so ioredis takes to reconnect; a few attempts outlive that. Answers whether an attempt
 * succeeded, with the last error otherwise; never rejects. Its timers never keep a process alive.
 */
export async function retryUntil(
  attempt: () => Promise<unknown>,
  deadline: number,
  /** Asked before each further attempt: true stops the retries (the app shuts down). */
  stopped: () => boolean = () => false,
): Promise<{ done: true } | { done: false; error: unknown }> {
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    try {
      await attempt();
      return { done: true };
    } catch (error) {
      const left = deadline - Date.now();
      if (left <= 0 || stopped()) return { done: false, error };
      await sleep(Math.min(pause, left), undefined, { ref: false });
      if (stopped()) return { done: false, error };
    }
  }
}
