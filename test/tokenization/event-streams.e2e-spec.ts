import { request as httpRequest } from 'node:http';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { filter, map } from 'rxjs';
import { CmStatusReports, OtpDeliveryEvents, OtpTokenizationEvents, type CmDeliveryReceipt, type OtpDeliveryEvent, type VirtualCardChangeEvent } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

const PATH = '/cm/status-reports';

const xmlReport = (reference: string) =>
  `<?xml version="1.0"?><MESSAGES><MSG><TO>00819012345678</TO><REFERENCE>${reference}</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>`;

/** Tells the test when Nest has run every `onModuleDestroy` hook and not yet closed the HTTP server. */
@Injectable()
class ShutdownProbe implements BeforeApplicationShutdown {
  static reached: () => void = () => undefined;
  beforeApplicationShutdown(): void {
    ShutdownProbe.reached();
  }
}

describe('event streams during app.close()', () => {
  it('publishes a status report whose request is in flight when close starts (Nest drains HTTP after onModuleDestroy)', async () => {
    const harness = await startCallbackApp({ extraProviders: [ShutdownProbe] });
    const receipts: CmDeliveryReceipt[] = [];
    const events: OtpDeliveryEvent[] = [];
    let completions = 0;
    harness.app.get(CmStatusReports).receipts$.subscribe({ next: (receipt) => receipts.push(receipt), complete: () => (completions += 1) });
    harness.app.get(OtpDeliveryEvents).events$.subscribe({ next: (event) => events.push(event), complete: () => (completions += 1) });
    harness.app.get(OtpTokenizationEvents).virtualCardChanges$.subscribe({ complete: () => (completions += 1) });
    try {
      const { port } = new URL(harness.url);
      const body = xmlReport('inflight0001');
      const arrived = new Promise<void>((resolve) => harness.app.getHttpServer().once('request', () => resolve()));
      const shutdownHooksReached = new Promise<void>((resolve) => (ShutdownProbe.reached = resolve));
      const request = httpRequest({
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: PATH,
        // No keep-alive: the server's close would otherwise wait for the idle socket to time out.
        agent: false,
        headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-status-report-secret': STATUS_REPORT_SECRET },
      });
      const answered = new Promise<number>((resolve, reject) => {
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
      // Half the body: the server is handling the request, the controller waits for the rest.
      request.write(body.slice(0, 40));
      await arrived;

      const closing = harness.app.close();
      await shutdownHooksReached;
      request.end(body.slice(40));

      expect(await answered).toBe(200);
      await closing;
      expect(receipts.map((receipt) => receipt.reference)).toEqual(['inflight0001']);
      expect(events).toMatchObject([{ type: 'delivered', deliveryId: 'inflight0001' }]);
      // The streams still end, once the server has drained: subscribers with `complete` learn it.
      expect(completions).toBe(3);
    } finally {
      await harness.sandbox.close();
      await harness.smtp.close();
    }
  });
});

describe('a subscriber that throws', () => {
  let harness: CallbackHarness;
  const logs: string[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    harness = await startCallbackApp({ logs });
    process.on('uncaughtException', onUncaught);
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await harness.close();
  });

  const report = (reference: string) =>
    fetch(harness.url + PATH, { method: 'POST', headers: { 'content-type': 'text/xml', 'x-status-report-secret': STATUS_REPORT_SECRET }, body: xmlReport(reference) });
  // rxjs reports an error thrown by a `next` handler on a later timer turn: give it that turn.
  const timersRun = () => new Promise((resolve) => setTimeout(resolve, 50));
  const personalData = 'cardholder tanaka@example.com +819012345678';

  it('neither crashes the process nor stops the other subscribers or later events (status reports)', async () => {
    const delivered: string[] = [];
    const receipts: string[] = [];
    const thrown: string[] = [];
    const events = harness.app.get(OtpDeliveryEvents).events$;
    // A thrower on each stream, before and after the well-behaved subscribers, direct and piped.
    harness.app.get(CmStatusReports).receipts$.subscribe((receipt) => {
      thrown.push(`receipt:${receipt.reference}`);
      throw new TypeError(personalData);
    });
    events.subscribe((event) => {
      thrown.push(`event:${event.deliveryId}`);
      throw new RangeError(personalData);
    });
    events.pipe(filter((event) => event.type === 'delivered')).subscribe((event) => delivered.push(event.deliveryId));
    harness.app.get(CmStatusReports).receipts$.subscribe((receipt) => receipts.push(receipt.reference));
    events
      .pipe(map((event) => event.deliveryId))
      .subscribe(() => {
        throw new SyntaxError(personalData);
      });

    expect((await report('thrower0001')).status).toBe(200);
    expect((await report('thrower0002')).status).toBe(200);
    await timersRun();

    expect(uncaught).toEqual([]);
    expect(delivered).toEqual(['thrower0001', 'thrower0002']);
    expect(receipts).toEqual(['thrower0001', 'thrower0002']);
    // The throwers themselves stay subscribed: they see the second report too.
    expect([...thrown].sort()).toEqual(['event:thrower0001', 'event:thrower0002', 'receipt:thrower0001', 'receipt:thrower0002']);
    const subscriberErrors = logs.filter((line) => line.includes('An event subscriber threw'));
    expect(subscriberErrors.some((line) => line.includes('"errorClass":"TypeError"') && line.includes('CmStatusReports.receipts$'))).toBe(true);
    expect(subscriberErrors.some((line) => line.includes('"errorClass":"RangeError"') && line.includes('OtpDeliveryEvents.events$'))).toBe(true);
    expect(subscriberErrors.some((line) => line.includes('"errorClass":"SyntaxError"'))).toBe(true);
    expect(logs.join('\n')).not.toContain('tanaka');
    expect(logs.join('\n')).not.toContain('9012345678');
  });

  it('neither crashes the process nor stops the other subscribers (virtual card changes)', async () => {
    const published: VirtualCardChangeEvent[] = [];
    let throws = 0;
    const changes = harness.app.get(OtpTokenizationEvents).virtualCardChanges$;
    changes.subscribe(() => {
      throws += 1;
      throw new Error(personalData);
    });
    changes.subscribe((event) => published.push(event));
    const notify = (action: string) =>
      postJson(
        `${harness.url}/issuer/igwapi/v2.0/notifyVirtualCardChange`,
        { issuerCardRefId: 'card-jp-0001', virtualCardId: 'vc-0001', walletProviderId: 'APPLE_PAY', tokenStorageId: 'ts-0001', isPrimary: true, action, source: 'TSP' },
        classicHeaders(`corr-thrower-${action}`),
      );
    expect((await notify('ACTIVATE')).status).toBe(200);
    expect((await notify('SUSPEND')).status).toBe(200);
    await timersRun();

    expect(uncaught).toEqual([]);
    expect(throws).toBe(2);
    expect(published.map((event) => event.action)).toEqual(['ACTIVATE', 'SUSPEND']);
    expect(logs.some((line) => line.includes('An event subscriber threw') && line.includes('OtpTokenizationEvents.virtualCardChanges$'))).toBe(true);
    expect(logs.join('\n')).not.toContain('tanaka');
  });
});
