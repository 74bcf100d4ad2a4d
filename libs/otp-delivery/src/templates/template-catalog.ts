import { length } from 'class-validator';
import { analyzeSms } from '../cm/sms-encoding.js';
import { MAX_EXPIRES_IN_SECONDS } from '../delivery/delivery.constants.js';
import { DEFAULT_TEMPLATES, shippedTextWithoutCard } from './default-templates.js';
import { CODE_VARIABLE, compileTemplate, type CompiledTemplate } from './template-compiler.js';
import type { OtpTemplateProblem } from './otp-template-problem.js';
import type { OtpLocaleTemplates, ResolvedTemplatesOptions } from './templates-options.js';
import { longestWalletName } from './wallet-names.js';

/** The template fields of a locale. */
export type OtpTemplateField = 'sms' | 'emailSubject' | 'emailText' | 'emailHtml';

export const TEMPLATE_FIELDS: readonly OtpTemplateField[] = ['sms', 'emailSubject', 'emailText', 'emailHtml'];
const FIELDS = TEMPLATE_FIELDS;
const LOCALE_KEYS = new Set<string>([...FIELDS, 'channels', 'issuerName']);
/** Fields that must carry the code; a subject need not (it shows on lock screens). */
const NEEDS_CODE = new Set<OtpTemplateField>(['sms', 'emailText', 'emailHtml']);
export const BUILT_IN_VARIABLES = ['code', 'panLastFour', 'expiryMinutes', 'walletName', 'issuerName'] as const;
/**
 * Longest values of the built-in variables, for the SMS worst case: CM codes go up to 10 digits,
 * and a delivery may announce up to a day (1440 minutes).
 */
const WORST_CASE = { code: '9'.repeat(10), panLastFour: '9999', expiryMinutes: String(Math.floor(MAX_EXPIRES_IN_SECONDS / 60)) } as const;

/** The compiled templates of one locale. */
export interface LocaleEntry {
  readonly templates: Partial<Record<OtpTemplateField, CompiledTemplate>>;
  /** A shipped text without its card phrase, by field: rendered when the card's digits are unknown. */
  readonly withoutCard: Partial<Record<OtpTemplateField, CompiledTemplate>>;
  readonly channels: ReadonlyMap<string, CompiledTemplate>;
  readonly issuerName?: string;
}

/**
 * Every template compiled once, at boot: the shipped defaults with the issuer's locales merged over
 * them, field by field. What `OtpTemplateRenderer` renders from; never parsed again.
 */
export interface TemplateCatalog {
  readonly options: ResolvedTemplatesOptions;
  /** The default locale key (lower case). */
  readonly defaultLocale: string;
  readonly locales: ReadonlyMap<string, LocaleEntry>;
  /** Whether any locale names the issuer its own way: without one, every message has `options.issuerName`. */
  readonly localIssuerNames: boolean;
}

/**
 * Compiles and checks every template: the OTP placeholder is present, every placeholder is known,
 * the default locale has every field, and the SMS worst case fits `cm.maxMessageParts`. Answers
 * the catalog and every problem found (the module's boot check lists them with the other options).
 */
export function compileTemplateCatalog(options: ResolvedTemplatesOptions): { catalog: TemplateCatalog; problems: OtpTemplateProblem[] } {
  const defaultLocale = options.defaultLocale.toLowerCase();
  const locales = new Map<string, LocaleEntry>();
  const problems = compileAll(options, locales, defaultLocale);
  return { catalog: { options, defaultLocale, locales, localIssuerNames: hasLocalIssuerNames(locales) }, problems };
}

/**
 * The first value `pick` finds along a requested locale's chain (`ja-JP` -> `ja` -> the default
 * locale), with the locale key it was found at.
 */
export function findAlongChain<T>(
  catalog: Pick<TemplateCatalog, 'defaultLocale' | 'locales'>,
  requested: string | undefined,
  pick: (entry: LocaleEntry) => T | undefined,
): { locale: string; value: T } | undefined {
  const own = findInOwnChain(catalog, requested, pick);
  if (own) return own;
  const fallback = catalog.locales.get(catalog.defaultLocale);
  const value = fallback && pick(fallback);
  return value === undefined ? undefined : { locale: catalog.defaultLocale, value };
}

/**
 * The issuer's name in a message: the first along the requested locale's own chain (`ja-JP` ->
 * `ja`), else the one of the locale the template comes from, else `templates.issuerName`. Not the
 * default locale's unless its text is the one rendered: `en`'s English name has no place in a `ja` text.
 */
export function issuerNameOf(catalog: Pick<TemplateCatalog, 'options' | 'locales' | 'localIssuerNames'>, requested: string | undefined, templateLocale: string): string {
  // The usual case, one name for every locale: no chain to walk on each send.
  if (!catalog.localIssuerNames) return catalog.options.issuerName;
  const pick = (entry: LocaleEntry) => entry.issuerName;
  return (findInOwnChain(catalog, requested, pick) ?? findInOwnChain(catalog, templateLocale, pick))?.value ?? catalog.options.issuerName;
}

function hasLocalIssuerNames(locales: ReadonlyMap<string, LocaleEntry>): boolean {
  return [...locales.values()].some((entry) => entry.issuerName !== undefined);
}

/** The first value `pick` finds along `ja-JP` -> `ja`, without the default locale. */
function findInOwnChain<T>(
  catalog: Pick<TemplateCatalog, 'locales'>,
  requested: string | undefined,
  pick: (entry: LocaleEntry) => T | undefined,
): { locale: string; value: T } | undefined {
  if (typeof requested !== 'string' || !requested) return undefined;
  // A language tag is short; a caller-supplied giant one must not cost a quadratic walk.
  const tag = requested.trim().slice(0, 35).toLowerCase().replaceAll('_', '-');
  for (let key = tag; key; key = key.slice(0, Math.max(0, key.lastIndexOf('-')))) {
    const entry = catalog.locales.get(key);
    const value = entry && pick(entry);
    if (value !== undefined) return { locale: key, value };
  }
  return undefined;
}

function compileAll(options: ResolvedTemplatesOptions, locales: Map<string, LocaleEntry>, defaultLocale: string): OtpTemplateProblem[] {
  const problems: OtpTemplateProblem[] = [];
  const known = new Set<string>(BUILT_IN_VARIABLES);
  for (const [name, spec] of Object.entries(options.variables)) {
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

  const merged = mergedSources(options, problems);
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
    const withoutCard: Partial<Record<OtpTemplateField, CompiledTemplate>> = {};
    for (const field of FIELDS) {
      if (source[field] === undefined) continue;
      const channel = field === 'sms' ? 'sms' : 'email';
      templates[field] = check(source[field], NEEDS_CODE.has(field), (problem) => problems.push({ locale, channel, field, problem }));
      const shorter = typeof source[field] === 'string' ? shippedTextWithoutCard(locale, source[field]) : undefined;
      if (shorter !== undefined) withoutCard[field] = compileTemplate(shorter).template;
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
    locales.set(locale, { templates, withoutCard, channels, issuerName: source.issuerName });
  }

  const fallback = locales.get(defaultLocale);
  for (const field of FIELDS) {
    if (!fallback?.templates[field]) {
      problems.push({ locale: defaultLocale, channel: field === 'sms' ? 'sms' : 'email', field, problem: `is missing: the default locale (templates.defaultLocale) must have every template` });
    }
  }
  if (problems.length === 0) problems.push(...checkSmsLength({ options, defaultLocale, locales, localIssuerNames: hasLocalIssuerNames(locales) }, known));
  return problems;
}

/** Shipped defaults with the issuer's locales merged over them, field by field, keys in lower case. */
function mergedSources(options: ResolvedTemplatesOptions, problems: OtpTemplateProblem[]): Map<string, OtpLocaleTemplates> {
  const merged = new Map<string, OtpLocaleTemplates>();
  for (const [locale, templates] of Object.entries(DEFAULT_TEMPLATES)) merged.set(locale, { ...templates });
  for (const [rawLocale, templates] of Object.entries(options.locales)) {
    const locale = rawLocale.toLowerCase().replaceAll('_', '-');
    if (!templates || typeof templates !== 'object') {
      problems.push({ locale, channel: '', field: '', problem: 'must be an object of templates { sms, emailSubject, emailText, emailHtml }' });
      continue;
    }
    for (const key of Object.keys(templates)) {
      if (!LOCALE_KEYS.has(key)) problems.push({ locale, channel: '', field: key, problem: `is not a template field (expected ${[...LOCALE_KEYS].join(', ')})` });
    }
    const defined = Object.fromEntries(Object.entries(templates).filter(([, value]) => value !== undefined));
    if (defined.issuerName !== undefined && !length(defined.issuerName, 1, 40)) {
      // The rule of templates.issuerName: it is written into every message of the locale.
      problems.push({ locale, channel: '', field: 'issuerName', problem: 'must be a string of 1 to 40 characters' });
      delete defined.issuerName;
    }
    merged.set(locale, { ...merged.get(locale), ...defined });
  }
  return merged;
}

/**
 * Renders each SMS template with the longest values it can get and counts its parts. Any requested
 * locale ends its chain at a locale key of the catalog, so trying every key with the SMS text and
 * issuer name its chain gives covers every pair a delivery can render.
 */
function checkSmsLength(catalog: TemplateCatalog, known: Set<string>): OtpTemplateProblem[] {
  const { options } = catalog;
  const problems: OtpTemplateProblem[] = [];
  const max = options.maxSmsParts;
  const tried = new Set<string>();
  for (const requested of catalog.locales.keys()) {
    const found = findAlongChain(catalog, requested, (entry) => entry.templates.sms);
    if (!found) continue;
    const { locale, value: template } = found;
    const issuerName = issuerNameOf(catalog, requested, locale);
    const pair = `${locale}\u0000${issuerName}`;
    if (tried.has(pair)) continue;
    tried.add(pair);
    const fills = template.variables.some((name) => !(BUILT_IN_VARIABLES as readonly string[]).includes(name) && known.has(name))
      ? ['x', 'あ'] // an extra's value may switch the message to UCS-2: try both alphabets
      : ['x'];
    const worst = fills
      .map((fill) => {
        const values: Record<string, string> = {
          ...WORST_CASE,
          walletName: longestWalletName(locale.split('-')[0]),
          issuerName,
        };
        for (const [name, spec] of Object.entries(options.variables)) values[name] = fill.repeat(spec.maxLength);
        return analyzeSms(template.render(values));
      })
      .reduce((a, b) => (b.parts > a.parts ? b : a));
    if (worst.parts > max) {
      problems.push({
        locale,
        channel: 'sms',
        field: 'sms',
        problem: `worst case${requested === locale ? '' : ` (for ${requested}, with its issuerName)`} is ${worst.characters} ${worst.encoding} characters in ${worst.parts} parts, over the maximum of ${max} (cm.maxMessageParts)`,
      });
    }
  }
  return problems;
}
