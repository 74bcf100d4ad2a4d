import { redactCmMessage } from './cm-message.redaction.js';

describe('redactCmMessage', () => {
  it.each([
    ['Invalid code 123456', '123456', 'Invalid code [redacted]'],
    ['Invalid code 12345678', 'Your code is 12345678', 'Invalid code [redacted]'],
    ['Bad to 00819012345678', undefined, 'Bad to **********5678'],
    ['Bad to +81 90-1234-5678 code 4321', 'code 4321', 'Bad to ********5678 code [redacted]'],
    ['Bad to 00819012345678', '123456', 'Bad to **********5678'],
    ['plain text', undefined, 'plain text'],
    ['bad recipient taro.yamada@example.jp', undefined, 'bad recipient ta*********@example.jp'],
  ])('redacts %j', (message, secret, expected) => {
    expect(redactCmMessage(message, secret)).toBe(expected);
  });

  it('cuts long texts and passes undefined through', () => {
    expect(redactCmMessage('x'.repeat(300))).toBe(`${'x'.repeat(200)}...`);
    expect(redactCmMessage(undefined)).toBeUndefined();
  });
});
