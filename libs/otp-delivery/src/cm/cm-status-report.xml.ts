import { createRequire } from 'node:module';
import type { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CM_STATUS_REPORT_LIMITS } from './cm-status-report.limits.js';

// CM's reports never carry a DTD; one is refused outright, so no entity definition (billion laughs,
// external entities) ever reaches the parser.
const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;
const PREDEFINED_REFERENCE = /&(lt|gt|quot|apos|amp);/g;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** fast-xml-parser's parser with the options below, and its validator. */
interface XmlReader {
  readonly parser: XMLParser;
  readonly validator: typeof XMLValidator;
}

let reader: XmlReader | undefined;

/**
 * fast-xml-parser, loaded with the first XML status report: a send never needs it, and an app whose
 * reports come as JSON never holds the parser (about 0.8 MiB of heap with its dependencies).
 */
function xmlReader(): XmlReader {
  if (reader) return reader;
  const { XMLParser: Parser, XMLValidator: validator } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  reader = { parser: new Parser(PARSER_OPTIONS), validator };
  return reader;
}

const PARSER_OPTIONS: ConstructorParameters<typeof XMLParser>[0] = {
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Numbers stay strings, as in CM's JSON template; the receipt mapping reads them.
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: CM_STATUS_REPORT_LIMITS.maxDepth,
  // Callbacks get the parser's matcher instead of a path string built for every element (half the cost).
  jPath: false,
  // Entity processing is off, so the five references every XML writer emits (`&amp;` in an error
  // description) are decoded here, in one pass: a fixed one-character replacement, never an expansion.
  // CDATA text goes through this too (the parser does not tell it apart); CM does not send CDATA.
  tagValueProcessor: (_tagName, value) => (value.includes('&') ? value.replace(PREDEFINED_REFERENCE, (_reference, name: string) => PREDEFINED_ENTITIES[name]!) : value),
};

/**
 * Reads the simple XML CM posts as status reports (`<MESSAGES><MSG>...</MSG></MESSAGES>`) with
 * fast-xml-parser: elements and text, repeated elements as arrays, text always a string.
 * Throws on a DTD, on more elements than `CM_STATUS_REPORT_LIMITS.maxValues`, on nesting deeper than
 * `maxDepth`, and on XML that is not well-formed. The caller bounds the size first: every pass is
 * linear in it.
 */
export function parseStatusReportXml(xml: string): Record<string, unknown> {
  if (DOCTYPE.test(xml)) throw new SyntaxError('A DTD is not accepted in a status report');
  if (countOpeningTags(xml) > CM_STATUS_REPORT_LIMITS.maxValues) {
    throw new SyntaxError(`A status report has at most ${CM_STATUS_REPORT_LIMITS.maxValues} elements`);
  }
  // The parser goes first: it stops at the depth limit at once, while the validator would walk a
  // deep body to its end. The validator then catches what the parser tolerates (unclosed or
  // mismatched tags).
  const { parser, validator } = xmlReader();
  const data = parser.parse(xml) as Record<string, unknown>;
  if (validator.validate(xml) !== true) throw new SyntaxError('Malformed XML status report');
  return data;
}

const SLASH = 0x2f;

/**
 * Every `<` not starting a closing tag, counted up to one past the limit: an upper bound on the
 * elements the parser would build, found in microseconds (building each costs the parser far more).
 */
function countOpeningTags(xml: string): number {
  let count = 0;
  for (let at = xml.indexOf('<'); at !== -1 && count <= CM_STATUS_REPORT_LIMITS.maxValues; at = xml.indexOf('<', at + 1)) {
    if (xml.charCodeAt(at + 1) !== SLASH) count++;
  }
  return count;
}
