import { SecretValue } from '../common/secret-value.js';
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
  ])('redacts %j', (message, secretText, expected) => {
    expect(redactCmMessage(message, { secretText })).toBe(expected);
  });

  it('cuts long texts and passes undefined through', () => {
    expect(redactCmMessage('x'.repeat(300))).toBe(`${'x'.repeat(200)}...`);
    expect(redactCmMessage(undefined)).toBeUndefined();
  });

  describe('the product token', () => {
    const token = '6f1c3e2a-9b4d-4c1e-8f2a-0a1b2c3d4e5f';
    const productToken = new SecretValue(token);
    const forms = (value: string) => [value, value.toUpperCase(), value.replaceAll('-', ''), value.replaceAll('-', '').toUpperCase()];

    it.each(forms(token))('removes the configured token written %s', (written) => {
      const safe = redactCmMessage(`Invalid product token ${written} supplied for account`, { productToken });
      expect(safe).toBe('Invalid product token [redacted] supplied for account');
    });

    it('removes it glued to other text, in full-width forms, and in an HTML page echoing the header', () => {
      const fullWidth = token.replace(/[0-9a-f-]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
      const page = `<pre>x-cm-producttoken:${token}</pre><p>token=${token.toUpperCase()}x ${fullWidth}</p>`;
      expect(redactCmMessage(page, { productToken })).toBe('<pre>x-cm-producttoken:[redacted]</pre><p>token=[redacted]x [redacted]</p>');
    });

    it('removes a digit-heavy token whole, before the phone and PAN masks could cut it into pieces', () => {
      const digits = '12345678-1234-4234-8234-123456789012';
      for (const written of forms(digits)) {
        const safe = redactCmMessage(`token ${written} refused`, { productToken: new SecretValue(digits) })!;
        expect(safe).toBe('token [redacted] refused');
      }
    });

    it('masks any other GUID-shaped string, with or without hyphens, with no token configured; shorter hex ids stay', () => {
      const other = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
      expect(redactCmMessage(`account ${other} / ${other.replaceAll('-', '').toUpperCase()}, message deadbeef`)).toBe('account [redacted] / [redacted], message deadbeef');
    });
  });
});
