/**
 * A tiny template compiler: `{{name}}` placeholders are found once, at startup, and the template
 * becomes alternating literal text and variable slots. Rendering only concatenates; it never
 * parses, so a template costs nothing per message and cannot fail at send time.
 */

/** The OTP variable. CM.com's single-brace `{code}` is read as the same placeholder. */
export const CODE_VARIABLE = 'code';
/** CM.com's own placeholder, filled by CM when it generates the code. */
export const CM_CODE_PLACEHOLDER = '{code}';

const PLACEHOLDER = /\{\{([^{}]*)\}\}|\{code\}/g;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A template after compilation. */
export interface CompiledTemplate {
  /** Variable names used, in order of first use. */
  readonly variables: readonly string[];
  /**
   * Renders with the given values. A variable without a value renders as ''. `escape` is applied
   * to values only, never to the template's own text.
   */
  render(values: Readonly<Record<string, string | undefined>>, escape?: (value: string) => string): string;
}

/** What `compileTemplate` answers: the template, or the problems found in its source. */
export interface CompileResult {
  readonly template: CompiledTemplate;
  /** Human-readable problems (malformed or unclosed placeholders); empty when the source is fine. */
  readonly problems: readonly string[];
}

/** Compiles a template source; problems are reported, not thrown, so the caller can gather them all. */
export function compileTemplate(source: string): CompileResult {
  const literals: string[] = [];
  const slots: string[] = [];
  const problems: string[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const name = match[1] === undefined ? CODE_VARIABLE : match[1].trim();
    if (!VARIABLE_NAME.test(name)) {
      problems.push(`malformed placeholder ${match[0]} (a name is letters, digits and _)`);
      continue;
    }
    literals.push(source.slice(last, match.index));
    slots.push(name);
    last = match.index + match[0].length;
  }
  literals.push(source.slice(last));
  if (literals.some((text) => text.includes('{{') || text.includes('}}'))) {
    problems.push('unclosed placeholder: "{{" or "}}" without its pair');
  }
  const variables = [...new Set(slots)];
  const template: CompiledTemplate = {
    variables,
    render(values, escape) {
      let out = literals[0];
      for (let i = 0; i < slots.length; i++) {
        const value = values[slots[i]] ?? '';
        out += (escape ? escape(value) : value) + literals[i + 1];
      }
      return out;
    },
  };
  return { template, problems };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and attribute positions. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
