/**
 * A tiny reader for the simple XML CM posts as status reports (`<MESSAGES><MSG>...</MSG></MESSAGES>`):
 * elements and text only. Attributes, CDATA and namespaces are not needed by that shape and are
 * ignored; repeated elements become arrays. Dependency-free on purpose.
 */
export function parseSimpleXml(xml: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const stack: Array<{ name: string; node: Record<string, unknown>; text: string }> = [{ name: '', node: root, text: '' }];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let match = tag.exec(xml); match; match = tag.exec(xml)) {
    stack[stack.length - 1]!.text += decode(xml.slice(last, match.index));
    last = tag.lastIndex;
    if (match[4] !== undefined) {
      stack[stack.length - 1]!.text += match[4];
      continue;
    }
    const [, closing, name, selfClosing] = match;
    if (!name) continue;
    if (closing) {
      const done = stack.pop();
      if (!done || done.name !== name || stack.length === 0) throw new SyntaxError('Malformed XML status report');
      const value = Object.keys(done.node).length > 0 ? done.node : done.text.trim();
      add(stack[stack.length - 1]!.node, name, value);
    } else if (selfClosing) {
      add(stack[stack.length - 1]!.node, name, '');
    } else {
      stack.push({ name, node: {}, text: '' });
    }
  }
  if (stack.length !== 1) throw new SyntaxError('Malformed XML status report');
  return root;
}

function add(parent: Record<string, unknown>, name: string, value: unknown): void {
  const existing = parent[name];
  if (existing === undefined) parent[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else parent[name] = [existing, value];
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
