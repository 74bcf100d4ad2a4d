import { isNeverSent } from './cm-never-sent.js';

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
