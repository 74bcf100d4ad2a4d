import { retryUntil } from './retry-until.js';

describe('retryUntil', () => {
  it('tries again until an attempt succeeds', async () => {
    let calls = 0;
    const result = await retryUntil(async () => {
      calls += 1;
      if (calls < 3) throw new Error(`refused ${calls}`);
    }, Date.now() + 5_000);
    expect(result).toEqual({ done: true });
    expect(calls).toBe(3);
  });

  it('gives up at the deadline with the last error, without rejecting', async () => {
    let calls = 0;
    const started = Date.now();
    const result = await retryUntil(async () => {
      calls += 1;
      throw new Error(`refused ${calls}`);
    }, started + 300);
    expect(result).toEqual({ done: false, error: new Error(`refused ${calls}`) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // 50, 100, 200 ms apart, the last pause cut at the deadline.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(5);
  });

  it('stops as soon as it is told to (the app shuts down)', async () => {
    let calls = 0;
    let stop = false;
    const result = retryUntil(
      async () => {
        calls += 1;
        stop = true;
        throw new Error('refused');
      },
      Date.now() + 60_000,
      () => stop,
    );
    expect(await result).toEqual({ done: false, error: new Error('refused') });
    expect(calls).toBe(1);
  });
});
