import { CmError } from './cm.error.js';
import { v1Verification } from './cm-otp-v1.api.js';
import { v2Verification } from './cm-otp-v2.api.js';

describe('OTP verify answers that are no object', () => {
  it.each([['true'], ['"ok"'], ['1'], ['[]'], ['null']])('answer 200 %s is a CmError, never a TypeError', (text) => {
    const response = { status: 200, text, json: JSON.parse(text) as unknown };
    expect(() => v1Verification(response, '123456')).toThrow(CmError);
    expect(() => v2Verification(response, '123456')).toThrow(CmError);
  });
});
