import { Inject, Injectable } from '@nestjs/common';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import type { OtpDeliveryContext } from '../delivery/otp-delivery-request.interface.js';
import { SecretValue } from '../common/secret-value.js';
import { panLastFour } from '../common/masking.js';
import { analyzeSms } from '../cm/sms-encoding.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { CM_CODE_PLACEHOLDER, CODE_VARIABLE, compileTemplate, escapeHtml, type CompiledTemplate } from './template-compiler.js';
import { OtpTemplateError, type OtpTemplateProblem } from './otp-template.error.js';
import { resolveTemplatesOptions, type OtpLocaleTemplates, type ResolvedTemplatesOptions } from './templates-options.js';
import { longestWalletName, walletDisplayName } from './wallet-names.js';

/** The template fields of a locale. */
export type OtpTemplateField = 'sms' | 'emailSubject' | 'emailText' | 'emailHtml';

const FIELDS: readonly OtpTemplateField[] = ['sms', 'emailSubject', 'emailText', 'emailHtml'];
const LOCALE_KEYS = new Set<string>([...FIELDS, 'channels', 'issuerName']);
/** Fields that must carry the code; a subject need not (it shows on lock screens). */
const NEEDS_CODE = new Set<OtpTemplateField>(['sms', 'emailText', 'emailHtml']);
const BUILT_IN_VARIABLES = ['code', 'panLastFour', 'expiryMinutes', 'walletName', 'issuerName'] as const;
/** Longest values of the built-in variables, for the SMS worst case (CM codes go up to 10 digits). */
const WORST_CASE = { code: '9'.repeat(10), panLastFour: '9999', expiryMinutes: '99' } as const;

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

interface LocaleEntry {
  readonly templates: Partial<Record<OtpTemplateField, CompiledTemplate>>;
  readonly channels: ReadonlyMap<string, CompiledTemplate>;
  readonly issuerName?: string;
}

/**
 * Renders OTP messages from the configured templates (SMS text; email subject, text and HTML) per
 * locale, with the locale chain `ja-JP` -> `ja` -> the default locale, field by field.
 *
 * Every template is compiled and checked when the module starts: the OTP placeholder is present,
 * every placeholder is known, and the SMS worst case fits `cm.maxMessageParts`. Any problem stops
 * the boot with one `OtpTemplateError` listing them all. Rendering never parses: values are
 * concatenated between the compiled parts; HTML bodies get escaped values; a missing value renders
 * as ''; a PAN longer than four digits is cut to its last four.
 *
 * @example
 * const message = renderer.render('sms', code, { locale: 'ja-JP', panLastFour: '1234', walletProviderId: 'APPLE_PAY' });
 */
@Injectable()
export class OtpTemplateRenderer {
  readonly #options: ResolvedTemplatesOptions;
  readonly #locales = new Map<string, LocaleEntry>();
  readonly #defaultLocale: string;

  constructor(@Inject(OTP_DELIVERY_OPTIONS) options: OtpDeliveryModuleOptions) {
    this.#options = resolveTemplatesOptions(options.templates, options.cm);
    this.#defaultLocale = this.#options.defaultLocale.toLowerCase();
    const problems = this.#compileAll();
    if (problems.length > 0) throw new OtpTemplateError(problems);
  }

  /** The default locale key (lower case). */
  get defaultLocale(): string {
    return this.#defaultLocale;
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
   * CM to fill (the `message` field of CM's OTP API).
   *
   * @example renderer.renderForCm({ locale: 'ja' }) // '【MyBank】認証コード{code}。...'
   */
  renderForCm(context: OtpDeliveryContext = {}): { locale: string; text: string } {
    const { locale, template } = this.#find('sms', context.locale);
    const values = this.#values(locale, CM_CODE_PLACEHOLDER, context);
    // A value that itself says `{code}` would be filled by CM too: keep the code in one place only.
    for (const key of Object.keys(values)) {
      if (key !== CODE_VARIABLE) values[key] = values[key]?.replaceAll(CM_CODE_PLACEHOLDER, '');
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
        const entry = this.#locales.get(key);
        const template = entry && pick(entry);
        if (template) return { locale: key, template };
      }
    }
    const fallback = this.#locales.get(this.#defaultLocale);
    const template = fallback && pick(fallback);
    return template ? { locale: this.#defaultLocale, template } : undefined;
  }

  #issuerName(locale: string): string {
    for (let key = locale; key; key = key.slice(0, Math.max(0, key.lastIndexOf('-')))) {
      const name = this.#locales.get(key)?.issuerName;
      if (name !== undefined) return name;
    }
    return this.#options.issuerName;
  }

  #values(locale: string, code: string, context: OtpDeliveryContext): Record<string, string | undefined> {
    const seconds = context.expiresInSeconds;
    const values: Record<string, string | undefined> = {
      code,
      panLastFour: panLastFour(context.panLastFour),
      // Rounded down: a message must never promise more time than the code has.
      expiryMinutes: typeof seconds === 'number' && seconds > 0 ? String(Math.max(1, Math.floor(seconds / 60))) : '',
      walletName: walletDisplayName(context.walletProviderId, locale),
      issuerName: this.#issuerName(locale),
    };
    for (const [name, spec] of Object.entries(this.#options.variables)) {
      const value = context.extras?.[name] ?? spec.default ?? '';
      values[name] = typeof value === 'string' ? value.slice(0, spec.maxLength) : '';
    }
    return values;
  }

  #compileAll(): OtpTemplateProblem[] {
    const problems: OtpTemplateProblem[] = [];
    const known = new Set<string>(BUILT_IN_VARIABLES);
    for (const [name, spec] of Object.entries(this.#options.variables)) {
      const field = `variables.${name}`;
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) problems.push({ locale: '', channel: '', field, problem: 'a variable name is letters, digits and _' });
      else if (known.has(name)) problems.push({ locale: '', channel: '', field, problem: 'is a built-in variable and cannot be redefined' });
      if (!spec || typeof spec !== 'object' || !Number.isInteger(spec.maxLength) || spec.maxLength < 1 || spec.maxLength > 1000) {
        problems.push({ locale: '', channel: '', field: `${field}.maxLength`, problem: 'must be an integer from 1 to 1000' });
      } else if (spec.default !== undefined && typeof spec.default !== 'string') {
        problems.push({ locale: '', channel: '', field: `${field}.default`, problem: 'must be a string' });
      }
      known.add(name);
    }

    const merged = this.#mergedSources(problems);
    const check = (text: unknown, needsCode: boolean, report: (problem: string) => void): CompiledTemplate | undefined => {
      if (typeof text !== 'string' || text.trim() === '') {
        report('must be a non-empty string');
        return undefined;
      }
      const { template, problems: syntax } = compileTemplate(text);
      syntax.forEach(report);
      for (const name of template.variables) {
        if (!known.has(name)) report(`unknown placeholder {{${name}}} (known: ${[...known].join(', ')})`);
      }
      if (needsCode && !template.variables.includes(CODE_VARIABLE)) report('has no OTP placeholder: add {{code}} (or CM\'s {code})');
      return template;
    };
    for (const [locale, source] of merged) {
      const templates: Partial<Record<OtpTemplateField, CompiledTemplate>> = {};
      for (const field of FIELDS) {
        if (source[field] === undefined) continue;
        const channel = field === 'sms' ? 'sms' : 'email';
        templates[field] = check(source[field], NEEDS_CODE.has(field), (problem) => problems.push({ locale, channel, field, problem }));
      }
      const channels = new Map<string, CompiledTemplate>();
      if (source.channels !== undefined && (typeof source.channels !== 'object' || source.channels === null)) {
        problems.push({ locale, channel: '', field: 'channels', problem: 'must be an object of channel name -> text template' });
      }
      for (const [name, text] of Object.entries(source.channels ?? {})) {
        const field = `channels.${name}`;
        if (name === 'sms' || name === 'email') {
          problems.push({ locale, channel: name, field, problem: 'sms and email have their own template fields' });
          continue;
        }
        const template = check(text, true, (problem) => problems.push({ locale, channel: name, field, problem }));
        if (template) channels.set(name, template);
      }
      this.#locales.set(locale, { templates, channels, issuerName: source.issuerName });
    }

    const fallback = this.#locales.get(this.#defaultLocale);
    for (const field of FIELDS) {
      if (!fallback?.templates[field]) {
        problems.push({ locale: this.#defaultLocale, channel: field === 'sms' ? 'sms' : 'email', field, problem: `is missing: the default locale (templates.defaultLocale) must have every template` });
      }
    }
    if (problems.length === 0) problems.push(...this.#checkSmsLength(known));
    return problems;
  }

  /** Shipped defaults with the issuer's locales merged over them, field by field, keys in lower case. */
  #mergedSources(problems: OtpTemplateProblem[]): Map<string, OtpLocaleTemplates> {
    const merged = new Map<string, OtpLocaleTemplates>();
    for (const [locale, templates] of Object.entries(DEFAULT_TEMPLATES)) merged.set(locale, { ...templates });
    for (const [rawLocale, templates] of Object.entries(this.#options.locales)) {
      const locale = rawLocale.toLowerCase().replaceAll('_', '-');
      if (!templates || typeof templates !== 'object') {
        problems.push({ locale, channel: '', field: '', problem: 'must be an object of templates { sms, emailSubject, emailText, emailHtml }' });
        continue;
      }
      for (const key of Object.keys(templates)) {
        if (!LOCALE_KEYS.has(key)) problems.push({ locale, channel: '', field: key, problem: `is not a template field (expected ${[...LOCALE_KEYS].join(', ')})` });
      }
      const defined = Object.fromEntries(Object.entries(templates).filter(([, value]) => value !== undefined));
      merged.set(locale, { ...merged.get(locale), ...defined });
    }
    return merged;
  }

  /** Renders each SMS template with the longest values it can get and counts its parts. */
  #checkSmsLength(known: Set<string>): OtpTemplateProblem[] {
    const problems: OtpTemplateProblem[] = [];
    const max = this.#options.maxSmsParts;
    for (const [locale, entry] of this.#locales) {
      const template = entry.templates.sms;
      if (!template) continue;
      const fills = template.variables.some((name) => !(BUILT_IN_VARIABLES as readonly string[]).includes(name) && known.has(name))
        ? ['x', 'あ'] // an extra's value may switch the message to UCS-2: try both alphabets
        : ['x'];
      const worst = fills
        .map((fill) => {
          const values: Record<string, string> = {
            ...WORST_CASE,
            walletName: longestWalletName(locale.split('-')[0]),
            issuerName: this.#issuerName(locale),
          };
          for (const [name, spec] of Object.entries(this.#options.variables)) values[name] = fill.repeat(spec.maxLength);
          return analyzeSms(template.render(values));
        })
        .reduce((a, b) => (b.parts > a.parts ? b : a));
      if (worst.parts > max) {
        problems.push({
          locale,
          channel: 'sms',
          field: 'sms',
          problem: `worst case is ${worst.characters} ${worst.encoding} characters in ${worst.parts} parts, over the maximum of ${max} (cm.maxMessageParts)`,
        });
      }
    }
    return problems;
  }
}
