import { isEmailAddress, normalizeEmailAddress } from './email-address.js';

describe('email addresses', () => {
  it('takes one plain address, Unicode included', () => {
    expect(isEmailAddress('taro.yamada@example.jp')).toBe(true);
    expect(normalizeEmailAddress('TARO+wallet@Bücher.example')).toEqual({ address: 'taro+wallet@bücher.example', mailbox: 'taro@xn--bcher-kva.example' });
  });

  it.each([
    ['a zero-width space', 'taro\u200b@example.jp'],
    ['a zero-width joiner in the domain', 'taro@exa\u200dmple.jp'],
    ['a bidi override', 'taro\u202e@example.jp'],
    ['a byte-order mark inside', 'ta\ufeffro@example.jp'],
    ['a control character', 'taro\u0007@example.jp'],
    ['a combining grapheme joiner', 'taro\u034f@example.jp'],
    ['a variation selector', 'ta\ufe0fro@example.jp'],
    ['the Hangul filler', '\u3164@example.jp'],
    ['the blank braille pattern', 'taro\u2800@example.jp'],
  ])('refuses %s, which would count as another mailbox than the one it reaches', (_name, address) => {
    expect(isEmailAddress(address)).toBe(false);
    expect(normalizeEmailAddress(address)).toBeUndefined();
  });

  it.each([
    ['a trailing dot on the domain (its fully qualified form)', 'hanako@example.jp.'],
    ['a full-width trailing dot', 'hanako@example.jp\uff0e'],
    ['an ideographic full stop at the end', 'hanako@example.jp\u3002'],
    ['two dots in a row in the domain', 'hanako@example..jp'],
    ['a domain starting with a dot', 'hanako@.example.jp'],
  ])('refuses %s (an empty domain label, which RFC 5321 allows nowhere)', (_name, address) => {
    expect(normalizeEmailAddress(address)).toBeUndefined();
  });
});
