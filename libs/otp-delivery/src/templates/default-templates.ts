import type { OtpLocaleTemplates } from './templates-options.js';

/**
 * The templates shipped with the module. The Japanese SMS fits one UCS-2 part (70 characters)
 * with a 6-digit code, a short issuer name and any wallet name; the English one fits one GSM-7
 * part (160). The code comes first in the SMS so it shows in the notification preview, and every
 * message says never to share it (the usual advice against relay attacks).
 */
export const DEFAULT_TEMPLATES: Readonly<Record<string, Required<Pick<OtpLocaleTemplates, 'sms' | 'emailSubject' | 'emailText' | 'emailHtml'>>>> = {
  ja: {
    sms: '【{{issuerName}}】認証コード{{code}}。{{walletName}}に末尾{{panLastFour}}のカードを登録します。{{expiryMinutes}}分有効。他人に教えないでください。',
    emailSubject: '【{{issuerName}}】{{walletName}}へのカード登録 認証コードのお知らせ',
    emailText: [
      '{{issuerName}}をご利用いただきありがとうございます。',
      '',
      '{{walletName}}に末尾{{panLastFour}}のカードを登録するための認証コードです。',
      '',
      '認証コード：{{code}}',
      '有効期限：{{expiryMinutes}}分',
      '',
      'このコードは誰にも教えないでください。当社からコードをお尋ねすることはありません。',
      'お心当たりのない場合は、このメールを破棄し、カード裏面の電話番号までご連絡ください。',
      '',
    ].join('\n'),
    emailHtml: [
      '<!DOCTYPE html>',
      '<html lang="ja"><head><meta charset="utf-8"><title>認証コード</title></head>',
      '<body style="font-family:sans-serif">',
      '<p>{{issuerName}}をご利用いただきありがとうございます。</p>',
      '<p>{{walletName}}に末尾{{panLastFour}}のカードを登録するための認証コードです。</p>',
      '<p style="font-size:24px;letter-spacing:4px"><strong>{{code}}</strong></p>',
      '<p>有効期限：{{expiryMinutes}}分</p>',
      '<p>このコードは誰にも教えないでください。当社からコードをお尋ねすることはありません。<br>',
      'お心当たりのない場合は、このメールを破棄し、カード裏面の電話番号までご連絡ください。</p>',
      '</body></html>',
      '',
    ].join('\n'),
  },
  en: {
    sms: '{{issuerName}}: {{code}} is your code to add your card ending {{panLastFour}} to {{walletName}}. It expires in {{expiryMinutes}} min. Never share it.',
    emailSubject: '{{issuerName}}: your code to add your card to {{walletName}}',
    emailText: [
      'Use this code to add your card ending {{panLastFour}} to {{walletName}}:',
      '',
      '{{code}}',
      '',
      'It expires in {{expiryMinutes}} minutes.',
      'Never share this code. {{issuerName}} will never ask you for it.',
      'If you did not ask for it, ignore this email and call the number on the back of your card.',
      '',
    ].join('\n'),
    emailHtml: [
      '<!DOCTYPE html>',
      '<html lang="en"><head><meta charset="utf-8"><title>Your verification code</title></head>',
      '<body style="font-family:sans-serif">',
      '<p>Use this code to add your card ending {{panLastFour}} to {{walletName}}:</p>',
      '<p style="font-size:24px;letter-spacing:4px"><strong>{{code}}</strong></p>',
      '<p>It expires in {{expiryMinutes}} minutes.</p>',
      '<p>Never share this code. {{issuerName}} will never ask you for it.<br>',
      'If you did not ask for it, ignore this email and call the number on the back of your card.</p>',
      '</body></html>',
      '',
    ].join('\n'),
  },
};

/** The card phrase of each shipped locale's text, which names the card by its last digits. */
const CARD_PHRASES: Readonly<Record<string, string>> = { ja: '末尾{{panLastFour}}の', en: ' ending {{panLastFour}}' };

/**
 * A shipped text without its card phrase (`add your card to Apple Pay`, `Apple Payにカードを登録`),
 * for a delivery whose card digits are unknown: D1 names no card for a consumer with several, a
 * resolver has none. Undefined for a text that is not the shipped one (an issuer's own wording
 * renders `{{panLastFour}}` empty).
 */
export function shippedTextWithoutCard(locale: string, text: string): string | undefined {
  const shipped = DEFAULT_TEMPLATES[locale];
  const phrase = CARD_PHRASES[locale];
  if (!shipped || !phrase || !Object.values(shipped).includes(text) || !text.includes(phrase)) return undefined;
  return text.replaceAll(phrase, '');
}
