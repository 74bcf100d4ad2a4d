/** One problem in one template. */
export interface OtpTemplateProblem {
  /** Locale key of the template, e.g. `ja`, `en-GB`. */
  readonly locale: string;
  /** Channel the template is for: `sms`, `email`, an added channel's name (empty outside a template). */
  readonly channel: string;
  /** Template field: `sms`, `emailSubject`, `emailText`, `emailHtml` (or the option at fault). */
  readonly field: string;
  /** What is wrong, never a rendered value. */
  readonly problem: string;
}

/**
 * The message templates are unusable. Thrown once at startup with every problem found (each names
 * the locale, channel and field), so the app refuses to boot instead of sending a broken message.
 */
export class OtpTemplateError extends Error {
  override readonly name = 'OtpTemplateError';

  constructor(readonly problems: readonly OtpTemplateProblem[]) {
    super(
      `Invalid OTP message templates (${problems.length}):\n` +
        problems.map((p) => `  - ${p.locale ? `templates.locales.${p.locale}.` : 'templates.'}${p.field}${p.channel ? ` (${p.channel})` : ''}: ${p.problem}`).join('\n'),
    );
  }
}
