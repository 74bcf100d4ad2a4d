/**
 * Bounds on one CM status report body. CM posts one `msg` per report (a few hundred bytes), so these
 * leave room for dozens of entries while keeping the work of the worst body near 10 ms of CPU: the
 * event loop serves every other request meanwhile. At the former 1 MB the XML parse alone took
 * 100 ms and more (RELIABILITY.md, "Status reports: hostile bodies").
 */
export const CM_STATUS_REPORT_LIMITS = {
  /**
   * Largest body read or parsed, in bytes (UTF-8): about 80 entries of CM's XML. JSON the app's body
   * parser read already is held to it by the UTF-8 bytes of its keys and strings.
   */
  maxBytes: 16_384,
  /** Deepest nesting of XML elements or JSON objects and arrays (CM's shape is 4 deep). */
  maxDepth: 32,
  /**
   * Most XML elements, or JSON values (objects, arrays, scalars), in one report: about what `maxBytes`
   * of CM's shape holds (8 or 9 per entry). Counted before the parser builds them (XML) or before they
   * are copied (JSON, which the app's own parser has read already).
   */
  maxValues: 1_000,
} as const;
