import { Test, type TestingModule } from '@nestjs/testing';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import {
  CmStatusReports,
  OtpDeliveryEvents,
  OtpDeliveryModule,
  OtpDeliveryService,
  SecretValue,
  type OtpDeliveryEvent,
  type OtpDeliveryModuleOptions,
} from 'nestjs-otp-delivery';
import { CmSandbox, EmailOutbox } from 'nestjs-otp-delivery/testing';

const CODE = '0471829';

describe('SMS channel end to end against the CM.com sandbox over HTTP', () => {
  let sandbox: CmSandbox;
  let app: TestingModule;
  let delivery: OtpDeliveryService;
  let events: OtpDeliveryEvents;

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRoot({
          cm: { productToken: sandbox.productToken, messagingBaseUrl: sandbox.url, otpBaseUrl: sandbox.url, sender: 'MyBank' },
          templates: { issuerName: 'マイバンク' },
          delivery: { deadlineMs: 1000 },
          // Every deliver() counts against the limits; this suite sends many codes to one number.
          limits: { perDestination: { max: 100, windowSeconds: 3600 } },
        }),
      ],
    }).compile();
    app = await moduleRef.init();
    delivery = app.get(OtpDeliveryService);
    events = app.get(OtpDeliveryEvents);
  });

  afterAll(async () => {
    await app?.close();
    await sandbox.close();
  });

  beforeEach(() => sandbox.clear());

  const request = (overrides: Partial<Parameters<OtpDeliveryService['deliver']>[0]> = {}) => ({
    code: new SecretValue(CODE),
    channel: 'sms',
    destination: '+81 90-1234-5678',
    context: { locale: 'ja-JP', panLastFour: '1234', walletProviderId: 'APPLE_PAY', expiresInSeconds: 300, correlationId: 'corr-sms' },
    ...overrides,
  });

  it('delivers the code unchanged (leading zero included) in one UCS-2 part, referenced by the delivery id', async () => {
    const receipt = await delivery.deliver(request());
    expect(sandbox.outbox).toHaveLength(1);
    const [sms] = sandbox.outbox;
    expect(sms.text).toBe(`【マイバンク】認証コード${CODE}。Apple Payに末尾1234のカードを登録します。5分有効。他人に教えないでください。`);
    expect(sms.to).toBe('00819012345678');
    expect(sms.from).toBe('MyBank');
    expect(sms.reference).toBe(receipt.deliveryId);
    expect(sms.encoding).toBe('UCS-2');
    expect(sms.parts).toBe(1);
    expect(sms.validity).toBe('5m');
    expect(receipt).toMatchObject({ channel: 'sms', destinationMasked: '********5678', parts: 1, providerMessageId: receipt.deliveryId });
  });

  it('sends English in GSM-7', async () => {
    await delivery.deliver(request({ context: { locale: 'en-GB', walletProviderId: 'SPAYHCE', panLastFour: '9876', expiresInSeconds: 600 } }));
    expect(sandbox.outbox[0]).toMatchObject({
      text: `マイバンク: ${CODE} is your code to add your card ending 9876 to Samsung Pay. It expires in 10 min. Never share it.`,
    });
  });

  it('refuses what is not a phone number, and a number that is not a mobile number, and CM sees nothing', async () => {
    for (const destination of ['12345', 'not a number', '']) {
      await expect(delivery.deliver(request({ destination }))).rejects.toMatchObject({ reason: 'invalid-destination', channel: 'sms' });
    }
    // A London and a Tokyo landline: the fraud controls refuse them before any provider is asked.
    for (const destination of ['+44 20 7946 0000', '+81 3-1234-5678']) {
      await expect(delivery.deliver(request({ destination }))).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'not-mobile' });
    }
    expect(sandbox.requests).toHaveLength(0);
  });

  it('answers unavailable when CM fails, rejected when CM refuses', async () => {
    sandbox.failNext(1, { status: 503 });
    await expect(delivery.deliver(request())).rejects.toMatchObject({ reason: 'unavailable', channel: 'sms' });
    sandbox.failNext(1, { status: 400, body: { details: 'Message rejected', errorCode: 401, messages: [] } });
    await expect(delivery.deliver(request())).rejects.toMatchObject({ reason: 'rejected', retryable: false });
  });

  it('gives up at the deadline when CM is slow', async () => {
    sandbox.setLatency(5000);
    const error = await delivery.deliver(request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'timeout', channel: 'sms', retryable: true });
    sandbox.setLatency(0);
  });

  it('publishes requested, sent, then delivered from the status report, masked and without the code', async () => {
    const collected = firstValueFrom(events.events$.pipe(take(3), toArray()));
    const receipt = await delivery.deliver(request());
    const reports = app.get(CmStatusReports);
    reports.publish(
      reports.parse({ messages: { msg: { received: '2026-11-22T05:00:00', to: '00819012345678', reference: receipt.deliveryId, status: { code: '2' } } } }),
    );
    const seen: OtpDeliveryEvent[] = await collected;
    expect(seen.map((e) => e.type)).toEqual(['requested', 'sent', 'delivered']);
    for (const event of seen) {
      expect(event).toMatchObject({ deliveryId: receipt.deliveryId, channel: 'sms', correlationId: 'corr-sms' });
      expect(event.destinationMasked).toMatch(/^\*+5678$/);
    }
    expect(JSON.stringify(seen)).not.toContain(CODE);
    expect(JSON.stringify(seen)).not.toContain('9012345678');
  });

  it('publishes undelivered from a failed status report', async () => {
    const receipt = await delivery.deliver(request());
    const undelivered = firstValueFrom(events.events$.pipe(filter((e) => e.type === 'undelivered')));
    const reports = app.get(CmStatusReports);
    reports.publish(reports.parse({ messages: { msg: { to: '00819012345678', reference: receipt.deliveryId, status: { code: '3', errorCode: '14' } } } }));
    expect(await undelivered).toMatchObject({ deliveryId: receipt.deliveryId, reason: expect.stringMatching(/^cm-failed 14/) });
  });
});

describe('Fallback from SMS (CM sandbox) to email (outbox)', () => {
  const lines: string[] = [];
  const outbox = new EmailOutbox({ logger: { log: (m: string) => lines.push(m), error: () => undefined, warn: () => undefined }, logBody: false });
  let sandbox: CmSandbox;

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.clear();
    outbox.clear();
  });

  async function boot(delivery: OtpDeliveryModuleOptions['delivery']): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRoot({
          cm: { productToken: sandbox.productToken, messagingBaseUrl: sandbox.url, sender: 'MyBank' },
          email: { outbox, from: 'no-reply@email.mybank.test' },
          delivery,
        }),
      ],
    }).compile();
    return moduleRef.init();
  }

  const request = {
    code: new SecretValue(CODE),
    channel: 'sms',
    destination: '+819012345678',
    destinations: { email: 'taro@example.com' },
    context: { locale: 'en' },
  };

  it('does not fall back when no fallback is configured', async () => {
    const app = await boot(undefined);
    try {
      sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } });
      await expect(app.get(OtpDeliveryService).deliver(request)).rejects.toMatchObject({ reason: 'rejected', channel: 'sms' });
      expect(outbox.messages).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('falls back to email when the issuer allows it, with the email destination and the same delivery id', async () => {
    const app = await boot({ fallback: { sms: ['email'] }, allowEmailFallbackForSms: true });
    try {
      sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } });
      const receipt = await app.get(OtpDeliveryService).deliver(request);
      expect(receipt).toMatchObject({ channel: 'email', destinationMasked: 'ta**@example.com' });
      expect(sandbox.outbox).toHaveLength(0);
      expect(outbox.messages).toHaveLength(1);
      expect(outbox.messages[0]).toMatchObject({ to: ['taro@example.com'], messageId: `<${receipt.deliveryId}@email.mybank.test>` });
      expect(outbox.messages[0].text).toContain(CODE);
    } finally {
      await app.close();
    }
  });
});
