import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { CmStatusReports, type CmDeliveryReceipt } from 'nestjs-otp-delivery';
import { startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

const PATH = '/cm/status-reports';
/** The body limit of a status report (`CM_STATUS_REPORT_LIMITS.maxBytes`, kept in sync by the limit tests below). */
const LIMIT = 16_384;
/** Longest the event loop may be held by one request: the app runs in this process, so its work shows here. */
const MAX_LOOP_BLOCK_MS = 50;
const REFUSED = { status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: body' } };

const msg = (reference: string) =>
  `<MSG><RECEIVED>2026-11-22T05:00:00</RECEIVED><TO>0031612345678</TO><REFERENCE>${reference}</REFERENCE><STATUS><CODE>2</CODE><ERRORCODE></ERRORCODE><ERRORDESCRIPTION></ERRORDESCRIPTION></STATUS></MSG>`;
/** A well-formed report of as many entries as fit in `bytes`, padded with spaces to exactly `bytes`. */
function flatReport(bytes: number): string {
  const open = '<?xml version="1.0" encoding="utf-8"?><MESSAGES>';
  const close = '</MESSAGES>';
  let entries = '';
  for (let index = 0; open.length + entries.length + msg('ref00000').length + close.length <= bytes; index++) entries += msg(`ref${String(index).padStart(5, '0')}`);
  return open + entries + ' '.repeat(bytes - open.length - entries.length - close.length) + close;
}
const deepJson = (levels: number) => `{"messages":{"msg":${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}}}`;
const billionLaughs = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE lolz [',
  ' <!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, level) => ` <!ENTITY lol${level + 1} "${`&lol${level || ''};`.repeat(10)}">`),
  ']>',
  '<MESSAGES><MSG><REFERENCE>&lol9;</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>',
].join('\n');
/** Bytes that are not text in any encoding (a fixed pattern, so a failure reproduces). */
const binaryJunk = Buffer.from(Array.from({ length: 12_000 }, (_, index) => (index * 7919 + 13) % 256));

describe('CM status-report endpoint against hostile bodies', () => {
  let harness: CallbackHarness;
  let loop: IntervalHistogram;
  const receipts: CmDeliveryReceipt[] = [];
  const longestBlocks: string[] = [];

  beforeAll(async () => {
    harness = await startCallbackApp();
    harness.app.get(CmStatusReports).receipts$.subscribe((receipt) => receipts.push(receipt));
    loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    // The app's first requests pay one-time costs (Express's body parsers, Nest's router, the XML
    // parser's first compilation) whatever the body: paid here, so each test measures its own body.
    for (const [body, contentType] of [[JSON.stringify({ messages: { msg: { reference: 'warmup', status: { code: 9 } } } }), 'application/json'], [`<MESSAGES>${msg('warmup').replace('<CODE>2', '<CODE>9')}</MESSAGES>`, 'text/xml']] as const) {
      expect((await sendOnce(body, contentType)).status).toBe(200);
    }
  });

  afterAll(async () => {
    // The figures RELIABILITY.md quotes ("Status reports: hostile bodies").
    console.log(`status-report hostile bodies, longest event-loop block per request (ms): ${longestBlocks.join('; ')}`);
    loop.disable();
    await harness.close();
  });

  /** Sends one body and answers the response with the longest event-loop block seen while it was handled. */
  async function sendOnce(body: string | Buffer, contentType: string): Promise<{ status: number; body: unknown; blockedMs: number }> {
    loop.reset();
    const response = await fetch(harness.url + PATH, { method: 'POST', headers: { 'content-type': contentType, 'x-status-report-secret': STATUS_REPORT_SECRET }, body });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, blockedMs: loop.max / 1e6 };
  }

  /**
   * `sendOnce`, and again (twice at most) while the block is over budget; the shortest block counts.
   * The CPUs are shared: another process can stall any request whatever its body, but work the body
   * causes shows in every attempt (the old parser held the loop for seconds each time).
   */
  async function send(body: string | Buffer, contentType: string, label: string): Promise<{ status: number; body: unknown; blockedMs: number }> {
    const first = await sendOnce(body, contentType);
    let blockedMs = first.blockedMs;
    for (let attempt = 1; attempt < 3 && blockedMs > MAX_LOOP_BLOCK_MS; attempt++) blockedMs = Math.min(blockedMs, (await sendOnce(body, contentType)).blockedMs);
    longestBlocks.push(`${label}: ${blockedMs.toFixed(1)}`);
    return { ...first, blockedMs };
  }

  // Bodies that held the old hand-written reader for seconds or went deeper than any walk should, and
  // the same shapes cut to fit under the size limit so they reach the parser.
  it.each([
    ['1 MB of repeated "<a"', () => '<a'.repeat(524_288), 'text/xml'],
    ['100 KB of repeated "<a"', () => '<a'.repeat(51_200), 'text/xml'],
    ['repeated "<a" just under the size limit', () => '<a'.repeat(LIMIT / 2 - 1), 'application/xml'],
    ['10,000 nested <a> never closed', () => '<a>'.repeat(10_000), 'text/xml'],
    ['5,000 nested <a> never closed (under the size limit)', () => '<a>'.repeat(5_000), 'text/xml'],
    ['2,000 nested <a> closed', () => '<a>'.repeat(2_000) + '</a>'.repeat(2_000), 'text/xml'],
    ['4,000 empty elements', () => `<MESSAGES>${'<a/>'.repeat(4_000)}</MESSAGES>`, 'text/xml'],
    ['2,000 elements of distinct names', () => `<MESSAGES>${Array.from({ length: 2_000 }, (_, index) => `<a${index}/>`).join('')}</MESSAGES>`, 'text/xml'],
    ['billion laughs', () => billionLaughs, 'application/xml'],
    ['an external entity', () => '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><MESSAGES><MSG><REFERENCE>&x;</REFERENCE></MSG></MESSAGES>', 'text/xml'],
    ['unterminated tags', () => '<MESSAGES><MSG><REFERENCE>abc</REFERENCE><STATUS><CODE>2', 'text/xml'],
    ['a mismatched closing tag', () => '<MESSAGES><MSG><REFERENCE>abc</REFERENCE></MESSAGES>', 'text/xml'],
    ['binary junk as XML', () => binaryJunk, 'text/xml'],
    ['binary junk as text', () => binaryJunk, 'text/plain'],
    ['a flat report of many <MSG> one byte over the size limit', () => flatReport(LIMIT + 1), 'text/xml'],
    ['5,000-deep JSON', () => deepJson(5_000), 'application/json'],
    ['2,500-deep JSON sent as text', () => deepJson(2_500), 'text/plain'],
    ['JSON with 20,000 values', () => JSON.stringify({ messages: { msg: Array.from({ length: 20_000 }, () => 0) } }), 'application/json'],
    ['JSON with 2,000 keys', () => JSON.stringify({ messages: { msg: Object.fromEntries(Array.from({ length: 2_000 }, (_, index) => [`k${index}`, index])) } }), 'application/json'],
    // The app's JSON parser takes 100 KB: what it read is held to the limit by its keys and strings.
    ['JSON with a 95,000-character reference', () => JSON.stringify({ messages: { msg: { reference: 'R'.repeat(95_000), status: { code: 2 } } } }), 'application/json'],
    ['JSON with keys of 17,000 characters in all', () => JSON.stringify({ messages: { msg: { reference: 'r', status: { code: 2 }, [`x${'k'.repeat(17_000)}`]: 1 } } }), 'application/json'],
  ])('refuses %s with 400/112, holding the event loop at most 50 ms', async (name, body, contentType) => {
    const published = receipts.length;
    const answer = await send(body(), contentType, name);
    expect({ status: answer.status, body: answer.body }).toEqual(REFUSED);
    expect(answer.blockedMs).toBeLessThanOrEqual(MAX_LOOP_BLOCK_MS);
    expect(receipts.length).toBe(published);
  });

  it('accepts a flat report of many <MSG> filling the size limit exactly, within the same 50 ms', async () => {
    const body = flatReport(LIMIT);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    const entries = body.split('<MSG>').length - 1;
    const published = receipts.length;
    const answer = await send(body, 'text/xml', `a flat report of ${entries} <MSG> at the size limit (accepted)`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: {} });
    expect(answer.blockedMs).toBeLessThanOrEqual(MAX_LOOP_BLOCK_MS);
    expect(entries).toBeGreaterThan(75);
    expect(receipts.slice(published).map((receipt) => receipt.reference)).toEqual(Array.from({ length: entries }, (_, index) => `ref${String(index).padStart(5, '0')}`));
  });

  it('accepts a JSON report of 110 entries (993 values, the limit is 1,000), within the same 50 ms', async () => {
    const references = Array.from({ length: 110 }, (_, index) => `json${String(index).padStart(5, '0')}`);
    const entries = references.map((reference) => ({ received: '2026-11-22T05:00:00', to: '00819012345678', reference, status: { code: '2', errorCode: '', errorDescription: '' }, operator: '44010' }));
    const published = receipts.length;
    const answer = await send(JSON.stringify({ messages: { msg: entries } }), 'application/json', 'a JSON report of 110 entries (accepted)');
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: {} });
    expect(answer.blockedMs).toBeLessThanOrEqual(MAX_LOOP_BLOCK_MS);
    expect(receipts.slice(published).map((receipt) => receipt.reference)).toEqual(references);
  });

  it.each([
    ['990 empty elements', () => `<MESSAGES>${'<a/>'.repeat(990)}</MESSAGES>`],
    ['990 elements of distinct names', () => `<MESSAGES>${Array.from({ length: 990 }, (_, index) => `<a${index}/>`).join('')}</MESSAGES>`],
  ])('acknowledges %s (within the element limit, nothing usable) within the same 50 ms', async (name, body) => {
    const answer = await send(body(), 'text/xml', `${name} (accepted)`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: {} });
    expect(answer.blockedMs).toBeLessThanOrEqual(MAX_LOOP_BLOCK_MS);
  });

  it('still reads a normal XML and JSON report and publishes their receipts', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><MESSAGES>${msg('hostilexml01').replace('<ERRORDESCRIPTION></ERRORDESCRIPTION>', '<ERRORDESCRIPTION>Absent &amp; off</ERRORDESCRIPTION>')}</MESSAGES>`;
    const xmlAnswer = await send(xml, 'text/xml', 'a normal XML report');
    expect({ status: xmlAnswer.status, body: xmlAnswer.body }).toEqual({ status: 200, body: {} });
    expect(receipts.at(-1)).toEqual({
      reference: 'hostilexml01',
      status: 'delivered',
      destinationMasked: '*********5678',
      cmStatusCode: 2,
      cmErrorCode: undefined,
      cmErrorDescription: 'Absent & off',
      receivedAt: new Date('2026-11-22T05:00:00Z'),
    });

    const json = JSON.stringify({ Messages: { Msg: { Reference: 'hostilejson1', To: '00819012345678', Status: { Code: '3', ErrorCode: '9', ErrorDescription: 'Expired' } } } });
    const jsonAnswer = await send(json, 'application/json', 'a normal JSON report');
    expect({ status: jsonAnswer.status, body: jsonAnswer.body }).toEqual({ status: 200, body: {} });
    expect(receipts.at(-1)).toMatchObject({ reference: 'hostilejson1', status: 'failed', cmErrorCode: 9, cmErrorDescription: 'Expired', destinationMasked: '**********5678' });
    expect(xmlAnswer.blockedMs).toBeLessThanOrEqual(MAX_LOOP_BLOCK_MS);
    expect(jsonAnswer.blockedMs).toBeLessThanOrEqual(MAX_LOOP_BLOCK_MS);
  });

  /**
   * POSTs a body that never ends: 4 KB chunks, one a millisecond, until the answer comes or `stopAfter`
   * bytes are sent, and then waits for the answer with the request still open. An endpoint that read
   * to the end of the body would never answer.
   */
  function postUnfinished(headers: Record<string, string | number>, stopAfter: number): Promise<{ status: number; body: unknown; sentBytes: number }> {
    return new Promise((resolve, reject) => {
      const url = new URL(harness.url + PATH);
      const chunk = Buffer.from('<MESSAGES>'.repeat(410));
      let sentBytes = 0;
      let answered = false;
      const outgoing = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'x-status-report-secret': STATUS_REPORT_SECRET, ...headers } }, (response) => {
        answered = true;
        clearTimeout(giveUp);
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (text += part));
        response.on('end', () => {
          outgoing.destroy();
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown, sentBytes });
        });
      });
      const giveUp = setTimeout(() => {
        outgoing.destroy();
        reject(new Error(`no answer within 5 s to an unfinished body of ${sentBytes} bytes`));
      }, 5_000);
      outgoing.on('error', (error) => {
        if (!answered) reject(error);
      });
      const writeNext = () => {
        if (answered || sentBytes >= stopAfter) return;
        sentBytes += chunk.length;
        outgoing.write(chunk, () => setTimeout(writeNext, 1));
      };
      writeNext();
    });
  }

  it('refuses an endless chunked XML body once it passes the limit, without waiting for its end', async () => {
    const answer = await postUnfinished({ 'content-type': 'text/xml', 'transfer-encoding': 'chunked' }, 8 * LIMIT);
    expect({ status: answer.status, body: answer.body }).toEqual(REFUSED);
    expect(answer.sentBytes).toBeGreaterThan(LIMIT);
  });

  it('refuses a body whose declared length is over the limit before reading it', async () => {
    const answer = await postUnfinished({ 'content-type': 'text/xml', 'content-length': 100 * LIMIT }, 4_100);
    expect({ status: answer.status, body: answer.body }).toEqual(REFUSED);
  });

  it('refuses an XML body with a content-encoding (no parser decodes it), and takes one marked identity', async () => {
    const report = `<MESSAGES>${msg('encodedxml')}</MESSAGES>`;
    const post = async (encoding: string, body: Buffer) => {
      const response = await fetch(harness.url + PATH, { method: 'POST', headers: { 'content-type': 'text/xml', 'content-encoding': encoding, 'x-status-report-secret': STATUS_REPORT_SECRET }, body });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const published = receipts.length;
    const refused = { status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: content-encoding' } };
    expect(await post('gzip', gzipSync(report))).toEqual(refused);
    expect(await post('gzip', Buffer.from(report))).toEqual(refused);
    expect(await post('br', Buffer.from(report))).toEqual(refused);
    expect(receipts.length).toBe(published);
    expect(await post('identity', Buffer.from(report))).toEqual({ status: 200, body: {} });
    expect(receipts.slice(published).map((receipt) => receipt.reference)).toEqual(['encodedxml']);
  });
});
