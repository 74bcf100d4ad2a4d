import { Inject, Injectable } from '@nestjs/common';
import type { OtpDeliveryContext } from '../delivery/otp-delivery-request.interface.js';
import { SecretValue } from '../common/secret-value.js';
import { panLastFour } from '../common/masking.js';
import { CM_CODE_PLACEHOLDER, CODE_VARIABLE, escapeHtml, type CompiledTemplate } from './template-compiler.js';
import { findAlongChain, issuerNameOf, type OtpTemplateField, type TemplateCatalog } from './template-catalog.js';
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
    const values = this.#values(code instanceof SecretValue ? code.reveal() : code, context);
    if (kind !== 'email') {
      const found = (kind !== 'sms' && this.#findChannel(kind, context.locale)) || this.#find('sms', context.locale);
      return { locale: found.locale, text: new SecretValue(this.#renderIn(found, values, context)) };
    }
    // Each email field may come from another locale of the chain: each gets its own language's wording.
    const text = this.#find('emailText', context.locale);
    return {
      locale: text.locale,
      subject: this.#renderIn(this.#find('emailSubject', context.locale), values, context),
      text: new SecretValue(this.#renderIn(text, values, context)),
      html: new SecretValue(this.#renderIn(this.#find('emailHtml', context.locale), values, context, escapeHtml)),
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
    const found = this.#find('sms', context.locale);
    const { locale } = found;
    const values = this.#values(CM_CODE_PLACEHOLDER, context);
    values.walletName = walletDisplayName(context.walletProviderId, locale);
    values.issuerName = issuerNameOf(this.#catalog, context.locale, locale);
    // CM fills every `{code}` of the message: a value must not be able to make one, alone
    // (`{cod{code}e}` rebuilds it after one pass of removal), with its neighbour or in another
    // spelling CM may read. With no brace in any value, the code is only where the template puts it.
    for (const key of Object.keys(values)) {
      if (key !== CODE_VARIABLE) values[key] = values[key]?.replace(BRACES, '');
    }
    return { locale, text: templateFor(found, values).render(values) };
  }

  /** The template locale a requested locale resolves to for a field (`ja-JP` -> `ja` -> default). */
  resolveLocale(locale: string | undefined, field: OtpTemplateField = 'sms'): string {
    return this.#find(field, locale).locale;
  }

  #find(field: OtpTemplateField, requested: string | undefined): FoundTemplate {
    // The boot check guarantees the default locale has every field.
    const { locale, value } = findAlongChain(this.#catalog, requested, (entry) => entry.templates[field])!;
    return { locale, template: value, withoutCard: this.#catalog.locales.get(locale)?.withoutCard[field] };
  }

  #findChannel(channel: string, requested: string | undefined): { locale: string; template: CompiledTemplate } | undefined {
    const found = findAlongChain(this.#catalog, requested, (entry) => entry.channels.get(channel));
    return found && { locale: found.locale, template: found.value };
  }

  /** The values of a delivery that do not depend on the template's locale. */
  #values(code: string, context: OtpDeliveryContext): Record<string, string | undefined> {
    const seconds = context.expiresInSeconds;
    const values: Record<string, string | undefined> = {
      code,
      panLastFour: panLastFour(context.panLastFour),
      // Rounded down, so a message never promises more time than the code has, except under a
      // minute: '0 min' would read as expired, so it says 1 (seconds need a wording per locale).
      expiryMinutes: typeof seconds === 'number' && seconds > 0 ? String(Math.max(1, Math.floor(seconds / 60))) : '',
    };
    const extras = context.extras;
    for (const [name, spec] of Object.entries(this.#catalog.options.variables)) {
      // Own values only: `extras.constructor` of a plain `{}` is a function, not the caller's value.
      const value = (extras && Object.hasOwn(extras, name) ? extras[name] : undefined) ?? spec.default ?? '';
      values[name] = typeof value === 'string' ? cutToLength(value, spec.maxLength) : '';
    }
    return values;
  }

  /**
   * Renders a template with the values of its own locale: the neutral wallet name of its language
   * (it sits in its sentence), and the issuer's name of the requested locale's chain (`ja-JP` may
   * name the issuer its own way while its text comes from `ja`), else of the template's locale.
   */
  #renderIn(found: FoundTemplate, values: Record<string, string | undefined>, context: OtpDeliveryContext, escape?: (value: string) => string): string {
    values.walletName = walletDisplayName(context.walletProviderId, found.locale);
    values.issuerName = issuerNameOf(this.#catalog, context.locale, found.locale);
    return templateFor(found, values).render(values, escape);
  }
}

/** A template found for a field, with the shipped text's wording without card digits when it is one. */
interface FoundTemplate {
  readonly locale: string;
  readonly template: CompiledTemplate;
  readonly withoutCard?: CompiledTemplate;
}

/**
 * The template to render: a shipped text drops its card phrase when the card's digits are unknown
 * ("your card ending  to" would read as a mistake, and naming another card of the cardholder's
 * would defeat the check of the digits the message asks for).
 */
function templateFor(found: FoundTemplate, values: Readonly<Record<string, string | undefined>>): CompiledTemplate {
  return !values.panLastFour && found.withoutCard ? found.withoutCard : found.template;
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
