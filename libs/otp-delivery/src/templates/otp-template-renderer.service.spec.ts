import { OtpTemplateRenderer } from './otp-template-renderer.service.js';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import { resolveOtpDeliveryOptions } from '../options/resolve-options.js';
import { compileTemplate } from './template-compiler.js';
import { SecretValue } from '../common/secret-value.js';
import { analyzeSms } from '../cm/sms-encoding.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';

/** The renderer on the catalog the module's boot check compiles from these options. */
const renderer = (options: OtpDeliveryModuleOptions = {}) => new OtpTemplateRenderer(resolveOtpDeliveryOptions(options).templates);
const code = new SecretValue('482913');

function problemsOf(options: OtpDeliveryModuleOptions): string {
  try {
    renderer(options);
  } catch (error) {
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the templates to be refused');
}

describe('OtpTemplateRenderer', () => {
  it('renders the shipped Japanese SMS in one UCS-2 part with every variable', () => {
    const message = renderer({ templates: { issuerName: 'MyBank' } }).render('sms', code, {
      locale: 'ja-JP',
      panLastFour: '4111111111111111',
      walletProviderId: 'SPAYHCE',
      expiresInSeconds: 600,
    });
    const text = message.text.reveal();
    expect(message.locale).toBe('ja');
    expect(text).toBe('【MyBank】認証コード482913。Samsung Payに末尾1111のカードを登録します。10分有効。他人に教えないでください。');
    expect(analyzeSms(text)).toEqual({ encoding: 'UCS-2', characters: text.length, parts: 1 });
  });

  it('renders the shipped English SMS in one GSM-7 part', () => {
    const text = renderer({ cm: { sender: 'MyBank' } })
      .render('sms', code, { locale: 'en-GB', panLastFour: '1234', walletProviderId: 'APPLE_PAY', expiresInSeconds: 300 })
      .text.reveal();
    expect(text).toBe('MyBank: 482913 is your code to add your card ending 1234 to Apple Pay. It expires in 5 min. Never share it.');
    expect(analyzeSms(text).parts).toBe(1);
    expect(analyzeSms(text).encoding).toBe('GSM-7');
  });

  it('drops the shipped texts\' card phrase when the card\'s digits are unknown, and leaves an issuer\'s own wording as written', () => {
    const shipped = renderer({ templates: { issuerName: 'MyBank' } });
    const context = { walletProviderId: 'APPLE_PAY', expiresInSeconds: 300 };
    expect(shipped.render('sms', code, { ...context, locale: 'en' }).text.reveal()).toBe('MyBank: 482913 is your code to add your card to Apple Pay. It expires in 5 min. Never share it.');
    expect(shipped.render('sms', code, { ...context, locale: 'ja-JP' }).text.reveal()).toBe('【MyBank】認証コード482913。Apple Payにカードを登録します。5分有効。他人に教えないでください。');
    const email = shipped.render('email', code, { ...context, locale: 'en' });
    expect(email.text.reveal()).toContain('Use this code to add your card to Apple Pay:');
    expect(email.html!.reveal()).toContain('<p>Use this code to add your card to Apple Pay:</p>');
    expect(shipped.renderForCm({ ...context, locale: 'ja' }).text).toBe('【MyBank】認証コード{code}。Apple Payにカードを登録します。5分有効。他人に教えないでください。');
    // With the digits, the shipped text names the card.
    expect(shipped.render('sms', code, { ...context, locale: 'en', panLastFour: '1234' }).text.reveal()).toContain('your card ending 1234 to Apple Pay');
    const own = renderer({ templates: { locales: { en: { sms: '{{code}}: card {{panLastFour}}' } } } });
    expect(own.render('sms', code, { locale: 'en' }).text.reveal()).toBe('482913: card ');
  });

  it('names the issuer as the handset shows the sender when neither issuerName nor cm.sender is set', () => {
    const text = renderer().render('sms', code, { locale: 'en' }).text.reveal();
    expect(text).toMatch(/^OTP: 482913 is your code/);
    expect(renderer({ cm: { sender: 'MyBank' }, templates: { issuerName: 'My Bank Ltd' } }).render('sms', code, { locale: 'en' }).text.reveal()).toMatch(/^My Bank Ltd: /);
  });

  it('falls back ja-JP -> ja -> default locale, field by field', () => {
    const r = renderer({
      templates: {
        defaultLocale: 'en',
        locales: { 'ja-JP': { sms: 'JP {{code}}' }, fr: { sms: 'Code {{code}}' } },
      },
    });
    expect(r.render('sms', code, { locale: 'ja-JP' }).text.reveal()).toBe('JP 482913');
    expect(r.render('email', code, { locale: 'ja-JP' }).locale).toBe('ja');
    expect(r.render('sms', code, { locale: 'fr-CA' }).text.reveal()).toBe('Code 482913');
    expect(r.render('email', code, { locale: 'fr' }).locale).toBe('en');
    expect(r.render('sms', code, { locale: 'de-DE' }).locale).toBe('en');
    expect(r.render('sms', code).locale).toBe('en');
  });

  it('takes the issuer name along the requested locale\'s chain, whichever locale the text comes from', () => {
    const r = renderer({
      templates: {
        issuerName: 'MyBank',
        locales: {
          'ja-JP': { issuerName: '三井住友カード' },
          'en-GB': { issuerName: 'MyBank UK', emailSubject: '{{issuerName}} code for {{walletName}}' },
          fr: { issuerName: 'MaBanque', sms: '{{issuerName}} {{code}}' },
        },
      },
    });
    const sms = r.render('sms', code, { locale: 'ja-JP' });
    expect(sms.locale).toBe('ja');
    expect(sms.text.reveal()).toMatch(/^【三井住友カード】認証コード482913。/);
    expect(r.render('sms', code, { locale: 'ja' }).text.reveal()).toMatch(/^【MyBank】/);
    expect(r.renderForCm({ locale: 'ja-JP' }).text).toMatch(/^【三井住友カード】認証コード\{code\}。/);
    // Per field for email: the subject from en-GB, text and HTML from en, one issuer name for all.
    const email = r.render('email', code, { locale: 'en-GB' });
    expect(email.subject).toBe('MyBank UK code for your wallet');
    expect(email.text.reveal()).toContain('MyBank UK will never ask you for it.');
    expect(email.html?.reveal()).toContain('MyBank UK will never ask you for it.');
    // A field found in another language keeps that language's wallet wording: fr has only an SMS text.
    const fr = r.render('email', code, { locale: 'fr' });
    expect(fr.subject).toBe('MaBanque: your code to add your card to your wallet');
    expect(r.render('sms', code, { locale: 'de' }).text.reveal()).toMatch(/^MyBank: 482913/);
    // The default locale's own name goes with its text only: a ja-JP message keeps templates.issuerName.
    const withEnglishName = renderer({ templates: { issuerName: 'マイバンク', locales: { en: { issuerName: 'A&B <Bank>' } } } });
    expect(withEnglishName.render('email', code, { locale: 'ja-JP' }).subject).toMatch(/^【マイバンク】/);
    expect(withEnglishName.render('sms', code, { locale: 'fr' }).text.reveal()).toMatch(/^A&B <Bank>: /);
  });

  it('refuses at startup a locale\'s issuerName that templates.issuerName would refuse', () => {
    const message = problemsOf({ templates: { locales: { 'ja-JP': { issuerName: '' }, en: { issuerName: 'x'.repeat(41) }, fr: { issuerName: 7 as never } } } });
    expect(message).toContain('templates.locales.ja-jp.issuerName: must be a string of 1 to 40 characters');
    expect(message).toContain('templates.locales.en.issuerName: must be a string of 1 to 40 characters');
    expect(message).toContain('templates.locales.fr.issuerName: must be a string of 1 to 40 characters');
    expect(() => renderer({ templates: { locales: { ja: { issuerName: 'x'.repeat(40) } } } })).not.toThrow();
  });

  it('sizes the SMS worst case with the issuer name a requested locale gets, not only the text\'s locale', () => {
    // ja-JP has no SMS of its own: its messages are ja's text with ja-JP's (long) name.
    const templates = { issuerName: 'MyBank', locales: { ja: { sms: `{{issuerName}}{{code}}${'い'.repeat(25)}` } } };
    expect(() => renderer({ cm: { maxMessageParts: 1 }, templates })).not.toThrow();
    const message = problemsOf({ cm: { maxMessageParts: 1 }, templates: { ...templates, locales: { ...templates.locales, 'ja-JP': { issuerName: 'あ'.repeat(40) } } } });
    expect(message).toContain('templates.locales.ja.sms (sms): worst case (for ja-jp, with its issuerName) is 75 UCS-2 characters in 2 parts, over the maximum of 1');
  });

  it('escapes values in HTML, never in text, and renders missing values as empty', () => {
    const r = renderer({
      templates: {
        issuerName: 'A&B <Bank>',
        variables: { note: { maxLength: 40 } },
        locales: { en: { emailHtml: '<p>{{issuerName}} {{code}} [{{note}}] [{{panLastFour}}]</p>', emailText: '{{issuerName}} {{code}} [{{expiryMinutes}}]' } },
      },
    });
    const message = r.render('email', code, { locale: 'en', extras: { note: '"quoted" \'x\'' } });
    expect(message.html?.reveal()).toBe('<p>A&amp;B &lt;Bank&gt; 482913 [&quot;quoted&quot; &#39;x&#39;] []</p>');
    expect(message.text.reveal()).toBe('A&B <Bank> 482913 []');
    expect(message.subject).toBe('A&B <Bank>: your code to add your card to your wallet');
    expect(message.text.reveal()).not.toContain('undefined');
  });

  it('names the wallet, with a neutral wording per language when unknown', () => {
    const r = renderer({ templates: { locales: { en: { sms: '{{walletName}} {{code}}' }, ja: { sms: '{{walletName}} {{code}}' } } } });
    const wallet = (walletProviderId: string | undefined, locale: string) => r.render('sms', code, { walletProviderId, locale }).text.reveal();
    expect(wallet('APPLE_PAY', 'en')).toBe('Apple Pay 482913');
    expect(wallet('ANDROID_PAY', 'en')).toBe('Google Pay 482913');
    expect(wallet('GOOGLE_PAY', 'en')).toBe('Google Pay 482913');
    expect(wallet('SAMSUNG_PAY', 'en')).toBe('Samsung Pay 482913');
    expect(wallet('OTHER', 'en')).toBe('your wallet 482913');
    expect(wallet(undefined, 'ja')).toBe('ウォレット 482913');
    // Any case of an ASCII id, but not letters that upper-case into one (U+017F, long s).
    expect(wallet(' apple_pay ', 'en')).toBe('Apple Pay 482913');
    expect(wallet('\u017Fpayhce', 'en')).toBe('your wallet 482913');
    expect(wallet('\u017Famsung_pay', 'en')).toBe('your wallet 482913');
  });

  it('keeps CM\'s {code} for CM-generated codes, and reads {code} as the OTP placeholder locally', () => {
    const r = renderer({ templates: { issuerName: 'MyBank', locales: { en: { sms: '{{issuerName}} code: {code}' } } } });
    expect(r.renderForCm({ locale: 'en' }).text).toBe('MyBank code: {code}');
    expect(r.render('sms', code, { locale: 'en' }).text.reveal()).toBe('MyBank code: 482913');
    expect(renderer({ templates: { issuerName: 'MyBank' } }).renderForCm({ locale: 'ja' }).text).toContain('認証コード{code}。');
  });

  it('puts CM\'s {code} only where the template does: no value can make another, nested, split or respelled', () => {
    const r = renderer({
      templates: {
        issuerName: 'My{code}Bank',
        variables: { link: { maxLength: 60 }, tail: { maxLength: 10 } },
        locales: { en: { sms: '{{issuerName}} {code} {{link}}{{tail}}' } },
      },
    });
    const cm = (link: string, tail = '') => r.renderForCm({ locale: 'en', extras: { link, tail } }).text;
    for (const link of ['https://x.example/?c={cod{code}e}', '{{code}}', '{{{code}}}', '{code}{code}', '{CODE}', '{ code }']) {
      const text = cm(link);
      expect(text.split('{code}')).toHaveLength(2);
      expect(text.startsWith('MycodeBank {code} ')).toBe(true);
    }
    expect(cm('https://x.example/?c={cod{code}e}')).toBe('MycodeBank {code} https://x.example/?c=codcodee');
    // Two values side by side cannot make one either.
    expect(cm('x{co', 'de}')).toBe('MycodeBank {code} xcode');
  });

  it('gives an added channel its own text along the locale chain, else the SMS text', () => {
    const r = renderer({
      templates: {
        issuerName: 'MyBank',
        locales: { en: { channels: { voice: 'Your {{issuerName}} code is {{code}}. Again: {{code}}.' } }, ja: { channels: { voice: '認証コードは{{code}}です。' } } },
      },
    });
    expect(r.render('voice', code, { locale: 'en-GB' }).text.reveal()).toBe('Your MyBank code is 482913. Again: 482913.');
    expect(r.render('voice', code, { locale: 'ja-JP' }).text.reveal()).toBe('認証コードは482913です。');
    expect(r.render('voice', code, { locale: 'fr' }).locale).toBe('en');
    expect(r.render('push', code, { locale: 'en' }).text.reveal()).toBe(r.render('sms', code, { locale: 'en' }).text.reveal());
  });

  it('checks added channels\' templates like the others', () => {
    const message = problemsOf({ templates: { locales: { en: { channels: { voice: 'Call us', push: '{{code}} {{nope}}', sms: '{{code}}' } } } } });
    expect(message).toContain('templates.locales.en.channels.voice (voice): has no OTP placeholder');
    expect(message).toContain('templates.locales.en.channels.push (push): unknown placeholder {{nope}}');
    expect(message).toContain('templates.locales.en.channels.sms (sms): sms and email have their own template fields');
  });

  it('uses issuer variables with their defaults, cut to their declared length', () => {
    const r = renderer({
      templates: { variables: { phone: { maxLength: 12, default: '0120-000-000' } }, locales: { en: { sms: '{{code}} call {{phone}}' } } },
    });
    expect(r.render('sms', code, { locale: 'en' }).text.reveal()).toBe('482913 call 0120-000-000');
    expect(r.render('sms', code, { locale: 'en', extras: { phone: '+81-3-1234-5678-999' } }).text.reveal()).toBe('482913 call +81-3-1234-5');
  });

  it('cuts an issuer variable between characters, never inside an emoji\'s surrogate pair', () => {
    const r = renderer({ templates: { variables: { note: { maxLength: 4 } }, locales: { en: { sms: '{{code}} [{{note}}]' } } } });
    const note = (value: string) => r.render('sms', code, { locale: 'en', extras: { note: value } }).text.reveal();
    expect(note('abc\u{1F600}')).toBe('482913 [abc]');
    expect(note('ab\u{1F600}')).toBe('482913 [ab\u{1F600}]');
    expect(note('\u{1F600}\u{1F600}x')).toBe('482913 [\u{1F600}\u{1F600}]');
    expect(r.renderForCm({ locale: 'en', extras: { note: 'abc\u{1F600}' } }).text).toBe('{code} [abc]');
  });

  it('takes only the caller\'s own extras: a variable named like an Object member keeps its default', () => {
    const r = renderer({
      templates: {
        variables: { constructor: { maxLength: 20, default: 'dflt' }, toString: { maxLength: 20 } },
        locales: { en: { sms: '{{code}} {{constructor}} [{{toString}}]' } },
      },
    });
    expect(r.render('sms', code, { locale: 'en', extras: {} }).text.reveal()).toBe('482913 dflt []');
    expect(r.render('sms', code, { locale: 'en', extras: { constructor: 'given' } as never }).text.reveal()).toBe('482913 given []');
  });

  it('refuses at startup a template without the OTP placeholder, naming locale, channel and field', () => {
    const message = problemsOf({ templates: { locales: { ja: { emailHtml: '<p>no code</p>' } } } });
    expect(message).toContain('templates.locales.ja.emailHtml (email): has no OTP placeholder');
  });

  it('gathers every problem: unknown and malformed placeholders, unknown fields, over-long SMS', () => {
    const message = problemsOf({
      cm: { maxMessageParts: 1 },
      templates: {
        locales: {
          en: { sms: '{{code}} {{cardholder}}', emailText: '{{code}} {{ bad-name }}', emailSubject: 'Hi {{code' },
          fr: { emailBody: 'x' } as never,
        },
        variables: { walletName: { maxLength: 5 } },
      },
    });
    expect(message).toContain('templates.locales.en.sms (sms): unknown placeholder {{cardholder}}');
    expect(message).toContain('templates.locales.en.emailText (email): malformed placeholder {{ bad-name }}');
    expect(message).toContain('templates.locales.en.emailSubject (email): unclosed placeholder');
    expect(message).toContain('templates.locales.fr.emailBody: is not a template field');
    expect(message).toContain('templates.variables.walletName: is a built-in variable');
  });

  it('refuses an SMS whose worst case is over the maximum parts', () => {
    // 100 characters fit one GSM-7 part, but a Japanese note makes 111 UCS-2 characters: 2 parts.
    expect(() =>
      renderer({ cm: { maxMessageParts: 2 }, templates: { variables: { note: { maxLength: 100 } }, locales: { en: { sms: '{{code}} {{note}}' } } } }),
    ).not.toThrow();
    const over = problemsOf({
      cm: { maxMessageParts: 2 },
      templates: { variables: { note: { maxLength: 140 } }, locales: { en: { sms: '{{code}} {{note}}' } } },
    });
    expect(over).toContain('templates.locales.en.sms (sms): worst case is 151 UCS-2 characters in 3 parts, over the maximum of 2 (cm.maxMessageParts)');
  });

  it('sizes {{expiryMinutes}} with the longest validity a delivery may announce: a day, 1440 minutes', () => {
    // 10-digit code + 147 + '99' fit one GSM-7 part (159); with '1440' it is 161 characters, two parts.
    const templates = { locales: { en: { sms: `{{code}}${'x'.repeat(147)}{{expiryMinutes}}` } } };
    expect(problemsOf({ cm: { maxMessageParts: 1 }, templates })).toContain('templates.locales.en.sms (sms): worst case is 161 GSM-7 characters in 2 parts');
    const sms = renderer({ cm: { maxMessageParts: 2 }, templates }).render('sms', code, { locale: 'en', expiresInSeconds: 86_400 }).text.reveal();
    expect(sms.endsWith('x1440')).toBe(true);
  });

  it('refuses the shipped Japanese SMS when one part is the maximum (a 10-digit code needs two)', () => {
    expect(problemsOf({ cm: { maxMessageParts: 1, sender: 'MyBank' } })).toContain('templates.locales.ja.sms (sms): worst case is');
  });

  it('requires the default locale to have every template', () => {
    expect(problemsOf({ templates: { defaultLocale: 'fr', locales: { fr: { sms: '{{code}}' } } } })).toContain(
      'templates.locales.fr.emailText (email): is missing',
    );
  });
});

describe('compileTemplate', () => {
  it('compiles once into parts; rendering only concatenates', () => {
    const { template, problems } = compileTemplate('a{{x}}b{{ y }}c{{x}}');
    expect(problems).toEqual([]);
    expect(template.variables).toEqual(['x', 'y']);
    expect(template.render({ x: '1', y: '2' })).toBe('a1b2c1');
    expect(template.render({})).toBe('abc');
  });
});
