/** One problem in one template, found when the module boots. */
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

/** The problem as one line of the boot error, named by its option path. */
export function describeTemplateProblem(p: OtpTemplateProblem): string {
  return `${p.locale ? `templates.locales.${p.locale}.` : 'templates.'}${p.field}${p.channel ? ` (${p.channel})` : ''}: ${p.problem}`;
}
