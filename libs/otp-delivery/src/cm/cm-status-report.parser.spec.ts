import { CmStatusReportError, parseCmStatusReport } from './cm-status-report.parser.js';
import { CM_STATUS_REPORT_LIMITS } from './cm-status-report.limits.js';

const NOW = new Date('2026-11-22T06:00:00Z');
const xmlEntry = (reference: string, extra = '') => `<MSG><TO>0031612345678</TO><REFERENCE>${reference}</REFERENCE><STATUS><CODE>2</CODE>${extra}</STATUS></MSG>`;
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('parseCmStatusReport', () => {
  describe('XML', () => {
    it('reads a single MSG and several, with the declaration, whitespace and an empty element', () => {
      const xml = `<?xml version="1.0" encoding="utf-8"?>\n<MESSAGES>\n  ${xmlEntry('one', '<ERRORCODE/>')}\n  ${xmlEntry('two', '<ERRORCODE>07</ERRORCODE>')}\n</MESSAGES>`;
      expect(parseCmStatusReport(xml, 'text/xml', NOW)).toEqual([
        { reference: 'one', status: 'delivered', destinationMasked: '*********5678', cmStatusCode: 2, cmErrorCode: undefined, cmErrorDescription: undefined, receivedAt: NOW },
        { reference: 'two', status: 'delivered', destinationMasked: '*********5678', cmStatusCode: 2, cmErrorCode: 7, cmErrorDescription: undefined, receivedAt: NOW },
      ]);
      expect(parseCmStatusReport(`<MESSAGES>${xmlEntry('alone')}</MESSAGES>`)).toMatchObject([{ reference: 'alone' }]);
    });

    it('keeps numbers as text (leading zeros intact) and reads CDATA as text', () => {
      const [receipt] = parseCmStatusReport(`<MESSAGES><MSG><REFERENCE>00123</REFERENCE><STATUS><CODE>3</CODE><ERRORDESCRIPTION><![CDATA[<expired> & gone]]></ERRORDESCRIPTION></STATUS></MSG></MESSAGES>`);
      expect(receipt).toMatchObject({ reference: '00123', status: 'failed', cmErrorDescription: '<expired> & gone' });
    });

    it('decodes the five predefined references once, never twice', () => {
      const [receipt] = parseCmStatusReport(`<MESSAGES>${xmlEntry('r1', '<ERRORDESCRIPTION>&lt;a&gt; &quot;b&quot; &apos;c&apos; &amp;lt; &#65;</ERRORDESCRIPTION>')}</MESSAGES>`);
      expect(receipt!.cmErrorDescription).toBe(`<a> "b" 'c' &lt; &#65;`);
    });

    it.each([
      ['a DOCTYPE with internal entities (billion laughs)', '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><MESSAGES><MSG><REFERENCE>&b;</REFERENCE></MSG></MESSAGES>'],
      ['an external entity', '<!DOCTYPE r SYSTEM "http://169.254.169.254/"><MESSAGES/>'],
      ['an unclosed element', '<MESSAGES><MSG><REFERENCE>a</REFERENCE>'],
      ['a mismatched closing tag', '<MESSAGES><MSG></MESSAGES>'],
      ['text after the root', '<MESSAGES></MESSAGES>junk'],
      ['a bare "<a" run', '<a'.repeat(1_000)],
      ['elements nested past the depth limit', '<a>'.repeat(CM_STATUS_REPORT_LIMITS.maxDepth + 2) + '</a>'.repeat(CM_STATUS_REPORT_LIMITS.maxDepth + 2)],
      ['more elements than the limit', `<MESSAGES>${'<a/>'.repeat(CM_STATUS_REPORT_LIMITS.maxValues)}</MESSAGES>`],
    ])('refuses %s', (_name, xml) => {
      expect(() => parseCmStatusReport(xml, 'application/xml')).toThrow(CmStatusReportError);
    });
  });

  it('reads a report of nearly as many elements as the limit', () => {
    const padding = '<PAD/>'.repeat(CM_STATUS_REPORT_LIMITS.maxValues - 10);
    expect(parseCmStatusReport(`<MESSAGES>${padding}${xmlEntry('last')}</MESSAGES>`)).toMatchObject([{ reference: 'last' }]);
  });

  describe('JSON', () => {
    it('lower-cases keys at every level; of two keys differing only in case the later wins', () => {
      expect(parseCmStatusReport({ MESSAGES: { Msg: [{ REFERENCE: 'a1', Status: { CODE: '0' } }] } })).toMatchObject([{ reference: 'a1', status: 'accepted' }]);
      expect(parseCmStatusReport('{"messages":{"msg":{"reference":"first","Reference":"second","status":{"code":1}}}}')).toMatchObject([{ reference: 'second', status: 'rejected' }]);
    });

    it('keeps a "__proto__" key a plain key', () => {
      const body = '{"messages":{"msg":{"__proto__":{"reference":"polluted","status":{"code":2}}}}}';
      expect(parseCmStatusReport(body)).toEqual([]);
      expect(({} as Record<string, unknown>)['reference']).toBeUndefined();
    });

    it('reads a report nested as deep as the limit allows', () => {
      const depth = CM_STATUS_REPORT_LIMITS.maxDepth;
      // messages > msg > entry is 3 levels; pad the entry's own value to reach the limit exactly.
      const body = { messages: { msg: { reference: 'deep', status: { code: 2 }, padding: JSON.parse(nestedJson(depth - 3)) as unknown } } };
      expect(parseCmStatusReport(body)).toMatchObject([{ reference: 'deep' }]);
      body.messages.msg.padding = JSON.parse(nestedJson(depth - 2)) as unknown;
      expect(() => parseCmStatusReport(body)).toThrow(CmStatusReportError);
    });

    it.each([50, 5_000, 100_000])('refuses a body nested %i levels deep with CmStatusReportError, not a stack overflow', (levels) => {
      expect(() => parseCmStatusReport(JSON.parse(nestedJson(levels)) as unknown)).toThrow(CmStatusReportError);
      expect(() => parseCmStatusReport(JSON.parse(`{"messages":{"msg":${'['.repeat(levels)}${']'.repeat(levels)}}}`) as unknown)).toThrow(CmStatusReportError);
    });

    it('refuses a body with more values than the limit, counted before they are copied', () => {
      const values = Array.from({ length: CM_STATUS_REPORT_LIMITS.maxValues }, () => 0);
      expect(() => parseCmStatusReport({ messages: { msg: values } })).toThrow(CmStatusReportError);
      expect(parseCmStatusReport({ messages: { msg: values.slice(0, CM_STATUS_REPORT_LIMITS.maxValues - 3) } })).toEqual([]);
    });
  });

  describe('size', () => {
    const report = (bytes: number, filler: string) => {
      const head = '<MESSAGES><MSG><REFERENCE>big</REFERENCE><STATUS><CODE>2</CODE></STATUS><NOTE>';
      const tail = '</NOTE></MSG></MESSAGES>';
      const fillerBytes = Buffer.byteLength(filler);
      return head + filler.repeat((bytes - head.length - tail.length) / fillerBytes) + tail;
    };

    it('reads a body of exactly the limit and refuses one byte more, as text or bytes', () => {
      const limit = CM_STATUS_REPORT_LIMITS.maxBytes;
      const atLimit = report(limit - 2, 'x') + '  ';
      expect(Buffer.byteLength(atLimit)).toBe(limit);
      expect(parseCmStatusReport(atLimit)).toMatchObject([{ reference: 'big' }]);
      expect(parseCmStatusReport(Buffer.from(atLimit))).toMatchObject([{ reference: 'big' }]);
      expect(() => parseCmStatusReport(`${atLimit} `)).toThrow(CmStatusReportError);
      expect(() => parseCmStatusReport(Buffer.from(`${atLimit} `))).toThrow(CmStatusReportError);
    });

    it('counts the UTF-8 bytes of the keys and strings of JSON the app already parsed: more than the limit is refused', () => {
      const limit = CM_STATUS_REPORT_LIMITS.maxBytes;
      const entry = (note: string) => ({ messages: { msg: { reference: 'abc123', status: { code: 2 }, note } } });
      // Its keys and reference: messages, msg, reference, status, code, note, abc123 (40 bytes).
      expect(parseCmStatusReport(entry('n'.repeat(limit - 40)))).toMatchObject([{ reference: 'abc123', status: 'delivered' }]);
      expect(() => parseCmStatusReport(entry('n'.repeat(limit - 39)))).toThrow(`larger than ${limit} bytes`);
      expect(() => parseCmStatusReport(entry('配'.repeat(Math.ceil(limit / 3))))).toThrow(CmStatusReportError);
      const longKeys = { messages: { msg: { reference: 'r', status: { code: 2 }, ['k'.repeat(limit)]: 1 } } };
      expect(() => parseCmStatusReport(longKeys)).toThrow(CmStatusReportError);
    });

    it('scrubs CM\'s error description, which may echo the message (any run of 4 digits may be its code) or its recipient', () => {
      const [receipt] = parseCmStatusReport({
        messages: { msg: { reference: 'abc123', status: { code: 3, errorcode: 5, errordescription: 'Handset +81 90 1234 5678 refused "code 654321" for taro.yamada@example.jp card 4111111111111111 err 305' } } },
      });
      expect(receipt!.cmErrorDescription).toBe('Handset +81 90 [redacted] [redacted] refused "code [redacted]" for ta*********@example.jp card [redacted] err 305');
    });

    it('skips an entry whose reference CM cannot have been given (1 to 32 letters or digits): never stored nor published', () => {
      const entry = (reference: string) => ({ reference, status: { code: 2 } });
      const receipts = parseCmStatusReport({ messages: { msg: [entry('ok1'), entry('x'.repeat(33)), entry('with-dash'), entry('配'), entry('A'.repeat(32))] } });
      expect(receipts.map((receipt) => receipt.reference)).toEqual(['ok1', 'A'.repeat(32)]);
    });

    it('counts UTF-8 bytes, not characters', () => {
      const japanese = report(CM_STATUS_REPORT_LIMITS.maxBytes + 3 * 100, '配');
      expect(japanese.length).toBeLessThan(CM_STATUS_REPORT_LIMITS.maxBytes);
      expect(() => parseCmStatusReport(japanese)).toThrow(CmStatusReportError);
    });
  });
});
