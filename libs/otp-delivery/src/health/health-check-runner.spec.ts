import { setTimeout as sleep } from 'node:timers/promises';
import { HealthCheckRunner } from './health-check-runner.js';

const describeFailure = (error: unknown) => `failed: ${(error as Error).message}`;

describe('HealthCheckRunner', () => {
  it('answers down at the timeout and aborts the signal the check was given', async () => {
    const runner = new HealthCheckRunner({ timeoutMs: 50, cacheTtlMs: 0 }, describeFailure);
    let given: AbortSignal | undefined;
    const started = Date.now();
    const outcome = await runner.run('slow', (signal) => {
      given = signal;
      return new Promise(() => undefined); // never settles, ignores its signal
    });
    expect(outcome).toMatchObject({ status: 'down', data: { message: 'timeout of 50ms exceeded' }, cachedResponse: false });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(given?.aborted).toBe(true);
  });

  it('answers up with the data given, and aborts the signal once the answer is in', async () => {
    const runner = new HealthCheckRunner({ timeoutMs: 1000, cacheTtlMs: 0 }, describeFailure);
    let given: AbortSignal | undefined;
    const outcome = await runner.run('fast', async (signal) => {
      given = signal;
    }, { failMode: 'open' });
    expect(outcome).toEqual({ status: 'up', data: { failMode: 'open' }, responseTime: expect.any(Number), cachedResponse: false });
    expect(given?.aborted).toBe(true);
  });

  it('turns a thrown error, also a synchronous one, into down with the described message', async () => {
    const runner = new HealthCheckRunner({ timeoutMs: 1000, cacheTtlMs: 0 }, describeFailure);
    const outcome = await runner.run('throws', () => {
      throw new Error('refused');
    }, { failMode: 'closed' });
    expect(outcome).toMatchObject({ status: 'down', data: { failMode: 'closed', message: 'failed: refused' } });
  });

  it('shares one in-flight run among concurrent callers, even with no cache', async () => {
    const runner = new HealthCheckRunner({ timeoutMs: 1000, cacheTtlMs: 0 }, describeFailure);
    let runs = 0;
    const check = async () => {
      runs += 1;
      await sleep(20);
    };
    const outcomes = await Promise.all([runner.run('k', check), runner.run('k', check), runner.run('k', check)]);
    expect(runs).toBe(1);
    expect(outcomes.map((outcome) => [outcome.status, outcome.cachedResponse])).toEqual([['up', false], ['up', false], ['up', false]]);
    await runner.run('k', check);
    expect(runs).toBe(2);
  });

  it('reuses a settled result for cacheTtlMs, per key, marked cachedResponse, then runs again', async () => {
    const runner = new HealthCheckRunner({ timeoutMs: 1000, cacheTtlMs: 80 }, describeFailure);
    let runs = 0;
    const check = async () => {
      runs += 1;
    };
    await runner.run('a', check);
    expect(await runner.run('a', check)).toMatchObject({ status: 'up', cachedResponse: true });
    await runner.run('b', check);
    expect(runs).toBe(2);
    await sleep(120);
    expect(await runner.run('a', check)).toMatchObject({ status: 'up', cachedResponse: false });
    expect(runs).toBe(3);
  });

  it('reuses a failed result for a second at most, however long cacheTtlMs: a blip is not ten seconds of 503', async () => {
    const runner = new HealthCheckRunner({ timeoutMs: 1000, cacheTtlMs: 10_000 }, describeFailure);
    let down = true;
    const check = async () => {
      if (down) throw new Error('blip');
    };
    expect(await runner.run('store', check)).toMatchObject({ status: 'down', cachedResponse: false });
    down = false;
    expect(await runner.run('store', check)).toMatchObject({ status: 'down', cachedResponse: true });
    await sleep(1_050);
    expect(await runner.run('store', check)).toMatchObject({ status: 'up', cachedResponse: false });
    // A success is kept the whole cacheTtlMs.
    down = true;
    expect(await runner.run('store', check)).toMatchObject({ status: 'up', cachedResponse: true });
  });
});
