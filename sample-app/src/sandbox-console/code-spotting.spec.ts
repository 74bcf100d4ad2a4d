import { findCode, markCodeInHtml } from './code-spotting.js';

describe('finding the code in a message', () => {
  it('prefers a code the console sent, newest first, then the first run of 6 to 16 digits', () => {
    const english = 'MyBank: 305172 is your code to add your card ending 4242 to Apple Pay. It expires in 5 min. Never share it.';
    expect(findCode(english, [])).toBe('305172');
    expect(findCode('【MyBank】認証コード00098765。Apple Payに末尾4242のカードを登録します。5分有効。', [])).toBe('00098765');
    expect(findCode('Your code is AB12 for the card ending 4242', ['ZZ99', 'AB12'])).toBe('AB12');
    expect(findCode('card ending 4242, 5 minutes', [])).toBeUndefined();
    expect(findCode('reference abc1234567 only', [])).toBeUndefined();
  });

  it('marks the code in the text of an HTML email, never inside a tag or a character reference', () => {
    const html = '<p title="305172">Code</p><p style="font-size:24px"><strong>305172</strong> &#305172; x305172</p>';
    expect(markCodeInHtml(html, '305172')).toBe('<p title="305172">Code</p><p style="font-size:24px"><strong><mark>305172</mark></strong> &#305172; x305172</p>');
    expect(markCodeInHtml(html, undefined)).toBe(html);
    expect(markCodeInHtml(html, 'a<b')).toBe(html);
  });
});
