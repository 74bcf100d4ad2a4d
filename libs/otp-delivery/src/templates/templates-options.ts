import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import type { ResolvedCmOptions } from '../cm/cm-options.js';

/**
 * The message templates of one locale. Every field is optional: a missing field is taken from the
 * next locale in the fallback chain (`ja-JP` -> `ja` -> the default locale), so an issuer can
 * override just the SMS text of the shipped Japanese templates.
 *
 * Placeholders are `{{name}}`: `code`, `panLastFour`, `expiryMinutes`, `walletName`, `issuerName`
 * and the issuer's declared `variables`. CM.com's own `{code}` is accepted as the OTP placeholder
 * too, so a template written for CM's OTP API works unchanged.
 */
export interface OtpLocaleTemplates {
  /**
   * SMS text (also the text of issuer-added channels such as voice or push). Must contain the code.
   * @default the shipped text of the locale (`DEFAULT_TEMPLATES`), else the next locale's
   * @example '{{issuerName}}: {{code}} is your code to add card *{{panLastFour}} to {{walletName}}.'
   */
  sms?: string;
  /**
   * Email subject. The code is optional here (a subject shows on lock screens and in mail lists).
   * @default the shipped subject of the locale, else the next locale's
   * @example '{{issuerName}}: your verification code'
   */
  emailSubject?: string;
  /**
   * Plain-text email body. Must contain the code.
   * @default the shipped text body of the locale, else the next locale's
   * @example 'Your code is {{code}}. It expires in {{expiryMinutes}} minutes.'
   */
  emailText?: string;
  /**
   * HTML email body. Must contain the code. Values are HTML-escaped; the template itself is not.
   * @default the shipped HTML body of the locale, else the next locale's
   * @example '<p>Your code is <strong>{{code}}</strong>.</p>'
   */
  emailHtml?: string;
  /**
   * Text of issuer-added channels, by channel name (a voice call reads differently from an SMS).
   * Each must contain the code. A channel without one here uses `sms`.
   * @default {} (every added channel uses the SMS text)
   * @example { voice: 'Your {{issuerName}} code is {{code}}. Again: {{code}}.' }
   */
  channels?: Record<string, string>;
  /**
   * The issuer's name in this locale (e.g. a Japanese trade name), used instead of `issuerName`.
   * @default `templates.issuerName`
   * @example '三井住友カード'
   */
  issuerName?: string;
}

/** An issuer-defined template variable. */
export interface OtpTemplateVariable {
  /**
   * Longest value the variable takes, in characters: the startup check renders SMS templates with
   * this many characters to find their worst-case length and part count; longer values are cut
   * (an emoji counts two, and is never cut in half).
   * @example 13
   */
  maxLength: number;
  /**
   * Value used when a delivery gives none.
   * @default ''
   * @example '0120-000-000'
   */
  default?: string;
}

/** SMS and email message templates per locale. */
export class TemplatesOptions {
  /**
   * Locale used when a delivery has none, or one with no templates (after `ja-JP` -> `ja`).
   * Must have every template, from the shipped defaults (`ja`, `en`) or from `locales`.
   * @default 'en'
   * @example 'ja'
   */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'defaultLocale must be a BCP 47 language tag such as ja or en-GB' })
  defaultLocale?: string;

  /**
   * The issuer's name, the `{{issuerName}}` variable (a locale may set its own).
   * @default cm.sender (itself 'OTP' by default)
   * @example 'MyBank'
   */
  @IsOptional()
  @IsString()
  @Length(1, 40, { message: 'issuerName must be 1 to 40 characters' })
  issuerName?: string;

  /**
   * Templates per locale, merged field by field over the shipped `ja` and `en` defaults.
   * Keys are BCP 47 tags (`ja`, `ja-JP`, `en-GB`, ...).
   * @default {} (the shipped Japanese and English templates)
   * @example { ja: { sms: '【{{issuerName}}】認証コード：{{code}}' }, 'en-GB': { emailSubject: '{{issuerName}} code' } }
   */
  @IsOptional()
  @IsObject({ message: 'locales must be an object of locale -> templates' })
  @KeepAsIs()
  locales?: Record<string, OtpLocaleTemplates>;

  /**
   * The issuer's own template variables, by name; a delivery gives their values in `context.extras`.
   * A placeholder that is neither built in nor declared here stops the boot.
   * @default {}
   * @example { supportPhone: { maxLength: 13, default: '0120-000-000' } }
   */
  @IsOptional()
  @IsObject({ message: 'variables must be an object of name -> { maxLength, default }' })
  @KeepAsIs()
  variables?: Record<string, OtpTemplateVariable>;
}

/** `TemplatesOptions` with its defaults applied. */
export interface ResolvedTemplatesOptions {
  readonly defaultLocale: string;
  readonly issuerName: string;
  readonly locales: Readonly<Record<string, OtpLocaleTemplates>>;
  readonly variables: Readonly<Record<string, OtpTemplateVariable>>;
  /** Most SMS parts a message may take (`cm.maxMessageParts`). */
  readonly maxSmsParts: number;
}

/**
 * Applies the template defaults; `cm` gives the issuer name fallback and the SMS part limit, as
 * CM applies them (its defaults included: an unset sender is `OTP` on the handset, so in the text too).
 */
export function resolveTemplatesOptions(templates: TemplatesOptions | undefined, cm: Pick<ResolvedCmOptions, 'sender' | 'maxMessageParts'>): ResolvedTemplatesOptions {
  return {
    defaultLocale: templates?.defaultLocale ?? 'en',
    issuerName: templates?.issuerName ?? cm.sender,
    locales: templates?.locales ?? {},
    variables: templates?.variables ?? {},
    maxSmsParts: cm.maxMessageParts,
  };
}
