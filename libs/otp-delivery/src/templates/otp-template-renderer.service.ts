import { Inject, Injectable } from '@nestjs/common';
import type { OtpDeliveryContext } from '../delivery/otp-delivery-request.interface.js';
import { SecretValue } from '../common/secret-value.js';
import { panLastFour } from '../common/masking.js';
import { CM_CODE_PLACEHOLDER, CODE_VARIABLE, escapeHtml, type CompiledTemplate } from './template-compiler.js';
import { issuerNameOf, type LocaleEntry, type OtpTemplateField, type TemplateCatalog } from './template-catalog.js';
import { TEMPLATES_OPTIONS } from './templates.constants.js';
import { walletDisplayName } from './wallet-names.js';

export type { OtpTemplateField } from './template-catalog.js';

const BRACES = /[{}]/g;

/** A rendered message, ready for a channel. */
export interface RenderedOtpMessage {
  /** Locale key of the template used, e.g. `ja`. */
  readonly locale: string;
  /** SMS text or email plain-text body. Holds the code. */
  readonly text: SecretValue;
  /** Email subject (email only). */
  readonly subject?: string;
  /** Email HTML body (email only). Holds the code. */
  readonly html?: SecretValue;
}

/**
 * What a message is rendered for: `email` (subject, text, HTML), `sms`, or the name of an
 * issuer-added channel (its own text from `channels`, else the SMS text).
 */
export type OtpTemplateKind = 'sms' | 'email' | (string & {});

/**
 * Renders OTP messages from the configured templates (SMS text; email subject, text and HTML) per
 * locale, with the locale chain `ja-JP` -> `ja` -> the default locale, field by field.
 *
 * Every template is compiled and checked when the module starts (`compileTemplateCatalog`): the OTP
 * placeholder is present, every placeholder is known, and the SMS worst case fits
 * `cm.maxMessageParts`. Any problem stops the boot with the other option problems, in one
 * `OtpDeliveryConfigError`. Rendering never parses: values are
 * concatenated between the compiled parts; HTML bodies get escaped values; a missing value renders
 * as ''; a PAN longer than four digits is cut to its last four.
 *
 * @example
 * const message = renderer.render('sms', code, { locale: 'ja-JP', panLastFour: '1234', walletProviderId: 'APPLE_PAY' });
 */
@Injectable()
export class OtpTemplateRenderer {
  readonly #catalog: TemplateCatalog;

  constructor(@Inject(TEMPLATES_OPTIONS) catalog: TemplateCatalog) {
    this.#catalog = catalog;
  }

  /** The default locale key (lower case). */
  get defaultLocale(): string {
    return this.#catalog.defaultLocale;
  }

  /**
   * Renders the message of one delivery. `email` gives subject, text and HTML; `sms` the SMS
   * text; an issuer-added channel (`voice`, `push`, ...) its own text, else the SMS text.
   */
  render(kind: OtpTemplateKind, code: SecretValue | string, context: OtpDeliveryContext = {}): RenderedOtpMessage {
    const codeValue = code instanceof SecretValue ? code.reveal() : code;
    if (kind !== 'email') {
      const { locale, template } = (kind !== 'sms' && this.#findChannel(kind, context.locale)) || this.#find('sms', context.locale);
      return { locale, text: new SecretValue(template.render(this.#values(locale, codeValue, context))) };
    }
    const text = this.#find('emailText', context.locale);
    const values = this.#values(text.locale, codeValue, context);
    return {
      locale: text.locale,
      subject: this.#find('emailSubject', context.locale).template.render(values),
      text: new SecretValue(text.template.render(values)),
      html: new SecretValue(this.#find('emailHtml', context.locale).template.render(values, escapeHtml)),
    };
  }

  /**
   * Renders the SMS template for a code CM.com generates: the OTP placeholder stays `{code}` for
   * CM to fill (the `message` field of CM's OTP API). Values lose their braces (`{`, `}`), so none
   * can add a second `{code}`.
   *
   * @example renderer.renderForCm({ locale: 'ja' }) // '【MyBank】認証コード{code}。...'
   */
  renderForCm(context: OtpDeliveryContext = {}): { locale: string; text: string } {
    const { locale, template } = this.#find('sms', context.locale);
    const values = this.#values(locale, CM_CODE_PLACEHOLDER, context);
    // CM fills every `{code}` of the message: a value must not be able to make one, alone
    // (`{cod{code}e}` rebuilds it after one pass of removal), with its neighbour or in another
    // spelling CM may read. With no brace in any value, the code is only where the template puts it.
    for (const key of Object.keys(values)) {
      if (key !== CODE_VARIABLE) values[key] = values[key]?.replace(BRACES, '');
    }
    return { locale, text: template.render(values) };
  }

  /** The template locale a requested locale resolves to for a field (`ja-JP` -> `ja` -> default). */
  resolveLocale(locale: string | undefined, field: OtpTemplateField = 'sms'): string {
    return this.#find(field, locale).locale;
  }

  #find(field: OtpTemplateField, requested: string | undefined): { locale: string; template: CompiledTemplate } {
    // The boot check guarantees the default locale has every field.
    return this.#walk(requested, (entry) => entry.templates[field])!;
  }

  #findChannel(channel: string, requested: string | undefined): { locale: string; template: CompiledTemplate } | undefined {
    return this.#walk(requested, (entry) => entry.channels.get(channel));
  }

  /** The first template along `ja-JP` -> `ja` -> the default locale. */
  #walk(requested: string | undefined, pick: (entry: LocaleEntry) => CompiledTemplate | undefined): { locale: string; template: CompiledTemplate } | undefined {
    if (requested) {
      // A language tag is short; a caller-supplied giant one must not cost a quadratic walk.
      const tag = requested.trim().slice(0, 35).toLowerCase().replaceAll('_', '-');
      for (let key = tag; key; key = key.slice(0, Math.max(0, key.lastIndexOf('-')))) {
        const entry = this.#catalog.locales.get(key);
        const template = entry && pick(entry);
        if (template) return { locale: key, template };
      }
    }
    const fallback = this.#catalog.locales.get(this.#catalog.defaultLocale);
    const template = fallback && pick(fallback);
    return template ? { locale: this.#catalog.defaultLocale, template } : undefined;
  }

  #values(locale: string, code: string, context: OtpDeliveryContext): Record<string, string | undefined> {
    const seconds = context.expiresInSeconds;
    const values: Record<string, string | undefined> = {
      code,
      panLastFour: panLastFour(context.panLastFour),
      // Rounded down: a message must never promise more time than the code has.
      expiryMinutes: typeof seconds === 'number' && seconds > 0 ? String(Math.max(1, Math.floor(seconds / 60))) : '',
      walletName: walletDisplayName(context.walletProviderId, locale),
      issuerName: issuerNameOf(this.#catalog, locale),
    };
    const extras = context.extras;
    for (const [name, spec] of Object.entries(this.#catalog.options.variables)) {
      // Own values only: `extras.constructor` of a plain `{}` is a function, not the caller's value.
      const value = (extras && Object.hasOwn(extras, name) ? extras[name] : undefined) ?? spec.default ?? '';
      values[name] = typeof value === 'string' ? cutToLength(value, spec.maxLength) : '';
    }
    return values;
  }

}

/**
 * At most `max` UTF-16 units (what the boot check sized the SMS with), never half of a surrogate
 * pair: a lone half is no character, and CM would send it as garbage.
 */
function cutToLength(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
