import { CmError } from './cm.error.js';
import { v1Verification } from './cm-otp-v1.api.js';
import { v2Verification } from './cm-otp-v2.api.js';
import { readCmTime } from './cm-otp-answer.js';

describe('OTP verify answers that are no object', () => {
  it.each([['true'], ['"ok"'], ['1'], ['[]'], ['null']])('answer 200 %s is a CmError, never a TypeError', (text) => {
    const response = { status: 200, text, json: JSON.parse(text) as unknown };
    expect(() => v1Verification(response, '123456')).toThrow(CmError);
    expect(() => v2Verification(response, '123456')).toThrow(CmError);
  });
});

describe('OTP verify refusals read by their text', () => {
  it('v2: an envelope whose code is no verify outcome (400) still answers the reason its text gives', () => {
    const answer = (message: string) => ({ status: 400, text: JSON.stringify({ code: 400, message }), json: { code: 400, message } as unknown });
    expect(v2Verification(answer('OTP already verified'), '123456')).toEqual({ verified: false, reason: 'already-verified' });
    expect(v2Verification(answer('OTP expired'), '123456')).toEqual({ verified: false, reason: 'expired' });
    expect(() => v2Verification(answer('Bad request'), '123456')).toThrow(CmError);
  });

  it('v1: only an unknown id is not-found; another "unknown" in a 400 is a request error', () => {
    const answer = (message: string) => ({ status: 400, text: JSON.stringify({ message }), json: { message } as unknown });
    expect(v1Verification(answer('Unknown id'), '123456')).toEqual({ verified: false, reason: 'not-found' });
    expect(v1Verification(answer('unknown OTP id given'), '123456')).toEqual({ verified: false, reason: 'not-found' });
    expect(() => v1Verification(answer('Unknown error'), '123456')).toThrow(CmError);
    expect(() => v1Verification(answer('Invalid request: unknown property'), '123456')).toThrow(CmError);
  });
});

describe('readCmTime', () => {
  it('reads an offset as given and a time without one as UTC, whatever the server\'s time zone', () => {
    expect(readCmTime('2015-01-01T13:00:00+0000')).toEqual(new Date('2015-01-01T13:00:00Z'));
    expect(readCmTime('2015-01-01T13:00:00+09:00')).toEqual(new Date('2015-01-01T04:00:00Z'));
    expect(readCmTime('2015-01-01T13:00:00')).toEqual(new Date('2015-01-01T13:00:00Z'));
    expect(readCmTime('2015-01-01T13:00:00.250Z')).toEqual(new Date('2015-01-01T13:00:00.250Z'));
  });

  it('reads no time from what is none', () => {
    for (const value of ['1', '2015-01-01', 'tomorrow', '', 1420117200, null]) expect(readCmTime(value)).toBeUndefined();
  });
});
