import { isNeverSent, retryOnceIfNeverSent } from './cm-never-sent.js';

const withCode = (code: string): Error => Object.assign(new Error('x'), { code });

describe('isNeverSent', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])('is true for %s', (code) => {
    expect(isNeverSent(withCode(code))).toBe(true);
    expect(isNeverSent(new Error('wrapped', { cause: withCode(code) }))).toBe(true);
  });

  it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', 'ABORT_ERR'])(
    'is false for %s (the request may have reached CM)',
    (code) => {
      expect(isNeverSent(withCode(code))).toBe(false);
    },
  );

  it('is false for anything without a code', () => {
    expect(isNeverSent(new Error('boom'))).toBe(false);
    expect(isNeverSent(undefined)).toBe(false);
    expect(isNeverSent('ECONNREFUSED')).toBe(false);
  });
});

describe('retryOnceIfNeverSent', () => {
  const failing = (...errors: unknown[]) => {
    let calls = 0;
    const attempt = async (): Promise<string> => {
      const error = errors[calls];
      calls += 1;
      if (error) throw error;
      return 'answer';
    };
    return { attempt, calls: () => calls };
  };

  it('answers the first success without a retry', async () => {
    const run = failing();
    await expect(retryOnceIfNeverSent(run.attempt)).resolves.toBe('answer');
    expect(run.calls()).toBe(1);
  });

  it('retries once after a failure that proves nothing left', async () => {
    const run = failing(withCode('ECONNREFUSED'));
    await expect(retryOnceIfNeverSent(run.attempt)).resolves.toBe('answer');
    expect(run.calls()).toBe(2);
  });

  it('retries only once', async () => {
    const second = withCode('UND_ERR_CONNECT_TIMEOUT');
    const run = failing(withCode('ECONNREFUSED'), second);
    await expect(retryOnceIfNeverSent(run.attempt)).rejects.toBe(second);
    expect(run.calls()).toBe(2);
  });

  it('never retries a failure after the request may have left', async () => {
    const reset = withCode('ECONNRESET');
    const run = failing(reset);
    await expect(retryOnceIfNeverSent(run.attempt)).rejects.toBe(reset);
    expect(run.calls()).toBe(1);
  });

  it('does not retry once the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = failing(withCode('ECONNREFUSED'));
    await expect(retryOnceIfNeverSent(run.attempt, controller.signal)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(run.calls()).toBe(1);
  });
});
