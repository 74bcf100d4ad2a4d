import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, filter, take, timeout } from 'rxjs';
import { CmStatusReports, OtpDeliveryEvents, IdvMethodsService, type CmDeliveryReceipt } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';
import { rawHttp } from '../support/raw-http.js';
import type { NestExpressApplication } from '@nestjs/platform-express';

const PATH = '/cm/status-reports';

describe('CM status-report endpoint over HTTP', () => {
  let harness: CallbackHarness;
  const events: { type: string; deliveryId: string; correlationId?: string }[] = [];
  const receipts: CmDeliveryReceipt[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    harness = await startCallbackApp({ logs });
    harness.app.get(OtpDeliveryEvents).events$.subscribe((event) => events.push(event));
    harness.app.get(CmStatusReports).receipts$.subscribe((receipt) => receipts.push(receipt));
  });

  afterAll(() => harness.close());

  const report = (body: unknown, secret: string | null = STATUS_REPORT_SECRET) =>
    postJson(harness.url + PATH, body, { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-status-report-secret': secret }) });
  const receipt = (reference: string, code: string) => ({
    messages: { msg: { received: '2026-01-01T00:00:00', to: '00819012345678', reference, status: { code, errorCode: '', errorDescription: '' }, operator: 'X' } },
  });

  it('refuses a request without the secret or with a wrong one (401), publishing nothing', async () => {
    const before = events.length;
    expect(await report(receipt('ref0001', '2'), null)).toEqual({ status: 401, body: { errorMessage: 'A valid status report secret is required' } });
    expect((await report(receipt('ref0001', '2'), 'wrong')).status).toBe(401);
    expect((await report(receipt('ref0001', '2'), `${STATUS_REPORT_SECRET}x`)).status).toBe(401);
    expect(events.length).toBe(before);
  });

  it('turns a delivered receipt for one of our SMS into a delivered event with its correlation id, once', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
    expect((await postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-gb-0001', otpValue: '123456', otpMethodId: sms!.id }, classicHeaders('corr-sr-1'))).status).toBe(200);
    const reference = harness.sandbox.outbox[0]!.reference;
    const delivered = firstValueFrom(
      harness.app.get(OtpDeliveryEvents).events$.pipe(
        filter((event) => event.type === 'delivered' && event.deliveryId === reference),
        take(1),
        timeout(5_000),
      ),
    );
    expect(await report(receipt(reference, '2'))).toEqual({ status: 200, body: {} });
    expect(await delivered).toMatchObject({ correlationId: 'corr-sr-1', channel: 'sms' });
    // CM retries: the same receipt again is acknowledged and not published twice.
    expect((await report(receipt(reference, '2'))).status).toBe(200);
    expect(events.filter((event) => event.type === 'delivered' && event.deliveryId === reference)).toHaveLength(1);
  });

  it('acknowledges a report with nothing usable (CM would retry anything else for days)', async () => {
    expect(await report({ messages: { msg: [] } })).toEqual({ status: 200, body: {} });
    expect(await report({ hello: 'world' })).toEqual({ status: 200, body: {} });
  });

  it('reads an XML report from the raw body, and refuses a body that is neither JSON nor XML', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    await postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '123456', otpMethodId: sms!.id }, classicHeaders('corr-sr-2'));
    const reference = harness.sandbox.outbox.at(-1)!.reference;
    const xml = `<?xml version="1.0"?><MESSAGES><MSG><TO>00819012345678</TO><REFERENCE>${reference}</REFERENCE><STATUS><CODE>3</CODE><ERRORCODE>9</ERRORCODE></STATUS></MSG></MESSAGES>`;
    const undelivered = firstValueFrom(
      harness.app.get(OtpDeliveryEvents).events$.pipe(filter((event) => event.type === 'undelivered' && event.deliveryId === reference), take(1), timeout(5_000)),
    );
    const response = await fetch(harness.url + PATH, { method: 'POST', headers: { 'content-type': 'text/xml', 'x-status-report-secret': STATUS_REPORT_SECRET }, body: xml });
    expect(response.status).toBe(200);
    expect(await undelivered).toMatchObject({ correlationId: 'corr-sr-2' });
    const garbage = await fetch(harness.url + PATH, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-status-report-secret': STATUS_REPORT_SECRET }, body: 'hello' });
    expect(garbage.status).toBe(400);
  });

  it('refuses a report under a transfer coding besides chunked, or with a content-type on two lines (112 naming it), publishing nothing', async () => {
    const before = events.length;
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-gb-0002');
    await postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-gb-0002', otpValue: '123456', otpMethodId: sms!.id }, classicHeaders('corr-sr-3'));
    const body = JSON.stringify(receipt(harness.sandbox.outbox.at(-1)!.reference, '2'));
    const head = [`POST ${PATH} HTTP/1.1`, 'Host: localhost', `x-status-report-secret: ${STATUS_REPORT_SECRET}`];
    const gzipLabelled = await rawHttp(harness.url, [...head, 'Content-Type: application/json', 'Transfer-Encoding: gzip, chunked'], body, { chunked: true });
    expect([gzipLabelled.status, JSON.parse(gzipLabelled.body)]).toEqual([400, { responseCode: 112, errorMessage: 'Invalid parameter format: transfer-encoding' }]);
    const twoTypes = await rawHttp(harness.url, [...head, 'Content-Type: application/json', 'Content-Type: text/xml'], body);
    expect([twoTypes.status, JSON.parse(twoTypes.body)]).toEqual([400, { responseCode: 112, errorMessage: 'Invalid parameter format: content-type' }]);
    expect(events.slice(before).filter((event) => event.type === 'delivered')).toEqual([]);
    // Sent plainly, the same report is read.
    const plain = await rawHttp(harness.url, [...head, 'Content-Type: application/json', 'Transfer-Encoding: chunked'], body, { chunked: true });
    expect(plain.status).toBe(200);
  });

  const xmlReport = (reference: string) =>
    `<MESSAGES><MSG><TO>0031612345678</TO><REFERENCE>${reference}</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>`;
  /** POSTs `body` as bytes: fetch adds no content-type of its own to a byte body. */
  const postBytes = async (contentType: string | undefined, body: string) => {
    const headers = { ...(contentType === undefined ? {} : { 'content-type': contentType }), 'x-status-report-secret': STATUS_REPORT_SECRET };
    const response = await fetch(harness.url + PATH, { method: 'POST', headers, body: Buffer.from(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('reads a report of any content type no body parser takes (CM\'s is unconfirmed): acknowledged and published, never acknowledged unread', async () => {
    const published = receipts.length;
    expect(await postBytes('application/octet-stream', xmlReport('anytypexml1'))).toEqual({ status: 200, body: {} });
    expect(await postBytes(undefined, xmlReport('anytypenone'))).toEqual({ status: 200, body: {} });
    const json = JSON.stringify({ messages: { msg: { reference: 'anytypejson', to: '0031612345678', status: { code: '2' } } } });
    expect(await postBytes('application/vnd.cm+json', json)).toEqual({ status: 200, body: {} });
    expect(receipts.slice(published).map((receipt) => receipt.reference)).toEqual(['anytypexml1', 'anytypenone', 'anytypejson']);
    // Nothing sent is nothing to publish or refuse; bytes that are neither JSON nor XML are refused, so CM sends them again.
    expect(await postBytes('application/octet-stream', '')).toEqual({ status: 200, body: {} });
    expect(await postBytes('application/octet-stream', '\u0000\u0001garbage')).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: body' } });
    expect(receipts.length).toBe(published + 3);
  });

  it('refuses a report a form parser turned into fields (112 naming the content-type), so CM sends it again', async () => {
    const published = receipts.length;
    expect(await postBytes('application/x-www-form-urlencoded', xmlReport('formparsed1'))).toEqual({
      status: 400,
      body: { responseCode: 112, errorMessage: 'Invalid parameter format: content-type' },
    });
    expect(receipts.length).toBe(published);
  });

  it('takes a caller that leaves in the middle of a raw body as a refused body, not as a failure of the app', async () => {
    const unexpected = () => logs.filter((line) => line.includes('Unexpected error')).length;
    const before = unexpected();
    for (const contentType of ['application/xml', 'application/octet-stream']) {
      const socket = connect(Number(new URL(harness.url).port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`POST ${PATH} HTTP/1.1\r\nHost: localhost\r\nx-status-report-secret: ${STATUS_REPORT_SECRET}\r\ncontent-type: ${contentType}\r\ncontent-length: 1000\r\n\r\n<MESSAGES>`);
      await sleep(100);
      socket.destroy();
    }
    await sleep(200);
    expect(unexpected()).toBe(before);
    expect(await postBytes('application/xml', xmlReport('afterabort1'))).toEqual({ status: 200, body: {} });
    expect(receipts.at(-1)?.reference).toBe('afterabort1');
  });

  it('reads a report an app-wide JSON parser took whatever its content type (an app working around CM\'s unconfirmed type)', async () => {
    const catchAll = await startCallbackApp({ sandbox: harness.sandbox, smtp: harness.smtp, configure: (app) => (app as NestExpressApplication).useBodyParser('json', { type: () => true }) });
    const seen: CmDeliveryReceipt[] = [];
    catchAll.app.get(CmStatusReports).receipts$.subscribe((receipt) => seen.push(receipt));
    try {
      const report = (reference: string) => JSON.stringify({ messages: { msg: { reference, to: '0031612345678', status: { code: '2' } } } });
      for (const [contentType, reference] of [['text/plain', 'catchallplain'], [undefined, 'catchallnone'], ['application/x-www-form-urlencoded', 'catchallform']] as const) {
        const headers = { ...(contentType === undefined ? {} : { 'content-type': contentType }), 'x-status-report-secret': STATUS_REPORT_SECRET };
        const response = await fetch(catchAll.url + PATH, { method: 'POST', headers, body: Buffer.from(report(reference)) });
        expect([contentType, response.status]).toEqual([contentType, 200]);
      }
      expect(seen.map((receipt) => receipt.reference)).toEqual(['catchallplain', 'catchallnone', 'catchallform']);
    } finally {
      await catchAll.close();
    }
  });
});
