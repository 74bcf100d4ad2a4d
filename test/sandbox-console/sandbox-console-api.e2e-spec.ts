import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { OtpDeliveryEvents, type OtpDeliveryEvent } from 'nestjs-otp-delivery';
import { EmailOutbox } from 'nestjs-otp-delivery/testing';
import { DigitizationModule } from '../../sample-app/src/digitization/digitization.module.js';
import { SandboxConsoleModule, type ConsoleSnapshot, type HttpExchange, type SmsEntry } from '../../sample-app/src/sandbox-console/index.js';
import { baseOptions, ISSUER_ID, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from '../tokenization/support/callback-app.js';

interface ServerSentEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Reads a server-sent event stream over HTTP and keeps every event, until `close`. */
async function openEventStream(url: string) {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  const events: ServerSentEvent[] = [];
  const waiters = new Set<() => void>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
        waiters.forEach((wake) => wake());
      }
    }
  })().catch(() => undefined);
  return {
    response,
    events,
    /** The first event (seen or coming) that matches, within 5 s. */
    async next(match: (event: ServerSentEvent) => boolean): Promise<ServerSentEvent> {
      const deadline = Date.now() + 5000;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event in ${JSON.stringify(events.map((event) => event.type))}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 100);
        });
      }
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

/**
 * The console's backend over HTTP, registered with values on a Nest app of its own next to the
 * app that sends (as on a management port): it reaches the sending app's real callbacks over
 * HTTP, and reads its sandboxes and delivery events.
 */
describe('the sandbox console API, on a Nest app of its own', () => {
  let harness: CallbackHarness;
  let consoleApp: INestApplication;
  let consoleUrl: string;
  const outbox = new EmailOutbox({ log: false });
  const deliveryEvents: OtpDeliveryEvent[] = [];

  beforeAll(async () => {
    harness = await startCallbackApp({
      options: (sandbox, smtp) => ({ ...baseOptions(sandbox, smtp), email: { outbox, from: 'MyBank <otp@mybank.example>' } }),
      imports: [DigitizationModule],
    });
    harness.app.get(OtpDeliveryEvents).events$.subscribe((event) => deliveryEvents.push(event));
    const moduleRef = await Test.createTestingModule({
      imports: [
        SandboxConsoleModule.register({
          cm: harness.sandbox,
          emailOutbox: outbox,
          events: harness.app.get(OtpDeliveryEvents),
          callbackBaseUrl: harness.url,
          statusReportSecret: STATUS_REPORT_SECRET,
          issuerId: ISSUER_ID,
          cards: [{ issuerCardRefId: 'card-gb-0001', label: 'card-gb-0001 ending 1881 (en-GB)' }],
        }),
      ],
    }).compile();
    consoleApp = moduleRef.createNestApplication({ logger: false });
    await consoleApp.listen(0, '127.0.0.1');
    consoleUrl = `http://127.0.0.1:${(consoleApp.getHttpServer().address() as AddressInfo).port}/sandbox`;
  });

  afterAll(async () => {
    await consoleApp?.close();
    await harness?.close();
  });

  beforeEach(() => harness.sandbox.clearFaults());

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${consoleUrl}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const state = async () => (await (await fetch(`${consoleUrl}/api/state`)).json()) as ConsoleSnapshot;

  /** Runs the form's two steps for the English sample card on its SMS method (or email). */
  const stepUp = async (otpValue?: string, type: 'otpBySMS' | 'otpByEmail' = 'otpBySMS') => {
    const first = await post('try/digitization', { issuerCardRefId: 'card-gb-0001', walletProviderId: 'APPLE_PAY' });
    const methods = first.body.methods as { id: string; type: string }[];
    const step = { correlationId: first.body.correlationId as string, issuerCardRefId: 'card-gb-0001', walletProviderId: 'APPLE_PAY' };
    const second = await post('try/send-otp', { ...step, otpMethodId: methods.find((method) => method.type === type)!.id, otpValue });
    return { first, second, correlationId: step.correlationId, exchange: second.body.exchange as HttpExchange, otpValue: second.body.otpValue as string };
  };

  it('runs a step-up against the real callbacks with the issuer id and one fresh correlation id per flow, and lists the SMS with its code', async () => {
    const flow = await stepUp('305172');
    const digitization = flow.first.body.exchange as HttpExchange;
    expect(digitization).toMatchObject({ method: 'POST', path: '/issuer/igwapi/v2.0/requestCardDigitization', status: 200 });
    expect(digitization.requestHeaders).toEqual({ 'content-type': 'application/json', 'x-correlation-id': flow.correlationId, 'x-issuer-id': ISSUER_ID });
    expect(flow.correlationId).toMatch(/^console-[0-9a-f-]{36}$/);
    expect(flow.exchange).toMatchObject({ path: '/issuer/igwapi/v2.0/sendOTP', status: 200, responseBody: {}, requestHeaders: { 'x-correlation-id': flow.correlationId } });
    expect((await stepUp()).correlationId).not.toBe(flow.correlationId);

    const sent = harness.sandbox.outbox.find((message) => message.text.includes('305172'))!;
    const entry = (await state()).entries.find((candidate) => candidate.kind === 'sms' && candidate.reference === sent.reference) as SmsEntry;
    expect(entry).toMatchObject({ to: '********3456', code: '305172', encoding: 'GSM-7', parts: 1, status: 'accepted', receipts: true, text: sent.text });
  });

  it('draws a random 6-digit code when none is typed, and highlights it', async () => {
    const flow = await stepUp('');
    expect(flow.otpValue).toMatch(/^\d{6}$/);
    const sent = harness.sandbox.outbox.at(-1)!;
    expect(sent.text).toContain(flow.otpValue);
    expect((await state()).entries[0]).toMatchObject({ kind: 'sms', code: flow.otpValue });
  });

  it('posts a CM-shaped receipt to the real status-report endpoint with the secret, and the library\'s event comes back to the page', async () => {
    const stream = await openEventStream(`${consoleUrl}/api/events`);
    try {
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const flow = await stepUp('482915');
      const reference = harness.sandbox.outbox.at(-1)!.reference;
      const entryEvent = await stream.next((event) => event.type === 'entry' && (event.data.entry as SmsEntry).reference === reference);
      const { id } = entryEvent.data.entry as SmsEntry;

      const receipt = await post(`messages/${reference}/receipts`, { status: 'undelivered', errorCode: 14 });
      const exchange = receipt.body.exchange as HttpExchange;
      expect(exchange).toMatchObject({ label: 'status report', path: '/cm/status-reports', status: 200, responseBody: {} });
      expect(exchange.requestHeaders['x-status-report-secret']).toBe('(hidden)');
      expect(JSON.stringify(receipt.body)).not.toContain(STATUS_REPORT_SECRET);
      expect(exchange.requestBody).toEqual({
        messages: {
          msg: {
            received: expect.any(String),
            to: '**********3456',
            reference,
            status: { code: '3', errorCode: '14', errorDescription: 'Absent subscriber (phone off or out of coverage)' },
            operator: 'SANDBOX',
          },
        },
      });

      expect(JSON.stringify(receipt.body)).not.toContain('7400123456');
      // The library parsed it as CM's (with the number in full) and published its own event, tied to the flow.
      expect(deliveryEvents.find((event) => event.deliveryId === reference && event.type === 'undelivered')).toMatchObject({
        correlationId: flow.correlationId,
        destinationMasked: '**********3456',
        reason: 'cm-failed 14: Absent subscriber (phone off or out of coverage)',
      });
      const status = await stream.next((event) => event.type === 'status' && event.data.id === id);
      expect(status.data).toMatchObject({ status: 'undelivered', statusReason: 'cm-failed 14: Absent subscriber (phone off or out of coverage)' });

      await post(`messages/${reference}/receipts`, { status: 'delivered' });
      await stream.next((event) => event.type === 'status' && event.data.id === id && event.data.status === 'delivered');
      expect((await state()).entries.find((entry) => entry.id === id)).toMatchObject({ status: 'delivered' });
    } finally {
      await stream.close();
    }
  });

  it('refuses a receipt for an SMS it does not keep (404) and a bad body (400 naming the fields), posting nothing', async () => {
    const before = deliveryEvents.length;
    const unknown = await post('messages/nosuchreference/receipts', { status: 'delivered' });
    expect(unknown).toMatchObject({ status: 404, body: { message: 'reference: no SMS with this CM reference is kept by the console' } });
    await stepUp();
    const reference = harness.sandbox.outbox.at(-1)!.reference;
    const bad = await post(`messages/${reference}/receipts`, { status: 'lost', errorCode: 99999, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['a property that is not a field of this action was sent', expect.stringMatching(/^status must be one of/), expect.stringMatching(/^errorCode must be one of/)]));
    expect(deliveryEvents.slice(before).filter((event) => event.type === 'delivered' || event.type === 'undelivered')).toEqual([]);
  });

  it('answers 400 to a nested body (JSON thousands of levels deep included) and never repeats a property name it was sent', async () => {
    const raw = async (path: string, text: string) => {
      const response = await fetch(`${consoleUrl}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      return { status: response.status, text: await response.text() };
    };
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    for (const path of ['faults/latency', 'try/send-otp', 'messages/abc/receipts']) {
      for (const text of [`{"ms":1,"x":${deep(5000)}}`, `{"status":"delivered","a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, '{"ms":{"n":1}}']) {
        const answer = await raw(path, text);
        // A field of the action is named (`ms` is latency's); any other name is not repeated.
        const message = path === 'faults/latency' && text.startsWith('{"ms":{') ? 'ms must be a string or a number, not an object or a list' : 'the body must be a flat JSON object: its fields hold strings and numbers';
        expect([path, answer.status, JSON.parse(answer.text)]).toEqual([path, 400, expect.objectContaining({ message: [message] })]);
      }
    }
    expect(JSON.parse((await raw('faults/fail-next', '{"count":[1],"fault":"internal-error"}')).text)).toMatchObject({ message: ['count must be a string or a number, not an object or a list'] });
    for (const name of ['<img src=x onerror=alert(1)>', '4111111111111111', 'taro.yamada@example.jp']) {
      const answer = await raw('faults/latency', JSON.stringify({ ms: 1, [name]: 1 }));
      expect(answer.status).toBe(400);
      expect(answer.text).not.toContain(name);
      expect(JSON.parse(answer.text)).toMatchObject({ message: ['a property that is not a field of this action was sent'] });
    }
  });

  it('lets at most 100 failures wait at once: a call past that answers 400 naming count, and the queue stays as it was', async () => {
    for (let call = 0; call < 5; call += 1) expect((await post('faults/fail-next', { count: 20, fault: 'internal-error' })).status).toBe(200);
    const refused = await post('faults/fail-next', { count: 1, fault: 'internal-error' });
    expect(refused).toMatchObject({ status: 400, body: { message: ['count must be at most 0: 100 failures can wait in all (clear them to queue more)'] } });
    expect(harness.sandbox.faults.failNext).toHaveLength(100);
    harness.sandbox.clearFaults();
  });

  it('injects a chosen CM failure: the next sendOTP answers 911 within the deadline, and the failure is listed', async () => {
    const stream = await openEventStream(`${consoleUrl}/api/events`);
    try {
      expect(await post('faults/fail-next', { count: 1, fault: 'insufficient-balance' })).toEqual({ status: 200, body: { failNext: [400], dropNext: 0, latencyMs: 0 } });
      await stream.next((event) => event.type === 'faults' && (event.data.faults as { failNext: number[] }).failNext.length === 1);
      const flow = await stepUp('771204');
      expect(flow.exchange).toMatchObject({ status: 400, responseBody: { responseCode: 911 } });
      expect(flow.exchange.durationMs).toBeLessThan(5000);
      expect(harness.sandbox.faults.failNext).toEqual([]);
      await stream.next((event) => event.type === 'faults' && (event.data.faults as { failNext: number[] }).failNext.length === 0);
      const failure = await stream.next((event) => event.type === 'entry' && (event.data.entry as { kind: string }).kind === 'failure');
      expect(failure.data.entry).toMatchObject({ channel: 'sms', to: '********3456', correlationId: flow.correlationId });
    } finally {
      await stream.close();
    }
  });

  it('sets latency and drops, shows them, and clears them all', async () => {
    expect((await post('faults/latency', { ms: 250 })).body).toEqual({ failNext: [], dropNext: 0, latencyMs: 250 });
    expect((await post('faults/drop-next', { count: 2 })).body).toEqual({ failNext: [], dropNext: 2, latencyMs: 250 });
    expect(harness.sandbox.faults).toEqual({ failNext: [], dropNext: 2, latencyMs: 250 });
    expect((await state()).faults).toEqual({ failNext: [], dropNext: 2, latencyMs: 250 });
    const cleared = await fetch(`${consoleUrl}/api/faults`, { method: 'DELETE' });
    expect([cleared.status, await cleared.json()]).toEqual([200, { failNext: [], dropNext: 0, latencyMs: 0 }]);
    expect(await post('faults/latency', { ms: -1 })).toMatchObject({ status: 400, body: { message: ['ms must not be less than 0'] } });
    expect(harness.sandbox.faults).toEqual({ failNext: [], dropNext: 0, latencyMs: 0 });
  });

  it('refuses an action another site\'s page sends through the browser, injecting nothing', async () => {
    const crossSite = await post('faults/fail-next', { count: 1, fault: 'internal-error' }, { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const otherOrigin = await post('faults/drop-next', { count: 1 }, { origin: 'https://attacker.example' });
    expect(otherOrigin.status).toBe(403);
    expect(harness.sandbox.faults).toEqual({ failNext: [], dropNext: 0, latencyMs: 0 });
    const sameOrigin = await post('faults/latency', { ms: 10 }, { origin: new URL(consoleUrl).origin, 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.status).toBe(200);
  });

  it('serves the email HTML sandboxed, with the code marked, and the page with a strict policy', async () => {
    await stepUp('7305194', 'otpByEmail');
    const email = (await state()).entries.find((entry) => entry.kind === 'email' && entry.code === '7305194')!;
    const html = await fetch(`${consoleUrl}/api/emails/${email.id}/html`);
    expect(html.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
    expect(await html.text()).toContain('<mark>7305194</mark>');
    expect((await fetch(`${consoleUrl}/api/emails/m99999/html`)).status).toBe(404);

    const page = await fetch(consoleUrl);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self';.*frame-ancestors 'none'$/);
    const body = await page.text();
    expect(body).toContain('<script src="/sandbox/console.js" defer></script>');
    expect(body).not.toMatch(/<script>|<style>| on[a-z]+="/);
    expect((await fetch(`${consoleUrl}/console.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});
