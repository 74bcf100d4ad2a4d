import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import {
  CardholderContactResolver,
  IdvMethodsService,
  OtpDeliveryConfigError,
  OtpDeliveryEvents,
  OtpDeliveryService,
  OtpSendRefusedError,
  SecretValue,
  STATUS_REPORT_SECRET_HEADER,
  type CardholderContact,
} from 'nestjs-otp-delivery';
import { CmSandbox, EmailOutbox, OTP_DELIVERY_TEST_DEFAULTS, OtpDeliveryTestingModule } from 'nestjs-otp-delivery/testing';

// Written as an issuer's test: only the package's public entry points.

/** The issuer's directory, with a dependency of its own (from `imports`). */
@Injectable()
class Directory {
  readonly taro: CardholderContact = { phoneNumber: '+81 90-1234-5678', email: 'taro@example.jp', locale: 'ja-JP', panLastFour: '4242' };
}

@Module({ providers: [Directory], exports: [Directory] })
class DirectoryModule {}

@Injectable()
class Cardholders implements CardholderContactResolver {
  constructor(private readonly directory: Directory) {}

  async resolveByCard(issuerCardRefId: string) {
    return issuerCardRefId === 'card-1' ? this.directory.taro : null;
  }

  async resolveByConsumer() {
    return null;
  }
}

describe('OtpDeliveryTestingModule', () => {
  it('in one line, gives the module on a started CM sandbox and an email outbox, both injectable, and closes the sandbox with the app', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryTestingModule.forRoot()] }).compile();
    await moduleRef.init();
    const sandbox = moduleRef.get(CmSandbox);
    const outbox = moduleRef.get(EmailOutbox);
    const delivery = moduleRef.get(OtpDeliveryService);

    await delivery.deliver({ code: new SecretValue('135790'), channel: 'sms', destination: '+81 90-1234-5678', context: { locale: 'en' } });
    await delivery.deliver({ code: new SecretValue('246802'), channel: 'email', destination: 'taro@example.jp', context: { locale: 'en' } });

    expect(sandbox.outbox).toEqual([expect.objectContaining({ to: '00819012345678', from: OTP_DELIVERY_TEST_DEFAULTS.sender, text: expect.stringContaining('135790') })]);
    expect(outbox.messages).toEqual([expect.objectContaining({ to: ['taro@example.jp'], text: expect.stringContaining('246802') })]);
    expect(outbox.messages[0]!.from).toBe('otp@issuer.test');

    const url = sandbox.url;
    await moduleRef.close();
    await expect(fetch(`${url}/__sandbox/outbox`)).rejects.toThrow();
  });

  it('merges overrides group by group over the test defaults', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryTestingModule.forRoot({ cm: { sender: 'Override' }, limits: { perCard: { max: 1, windowSeconds: 60 } } })],
    }).compile();
    await moduleRef.init();
    try {
      const delivery = moduleRef.get(OtpDeliveryService);
      const send = () => delivery.deliver({ code: new SecretValue('112233'), channel: 'sms', destination: '+819012345678', cardRef: 'card-9' });
      await send();
      // The sandbox's URLs and token stayed: the message reached it, from the sender given.
      expect(moduleRef.get(CmSandbox).outbox.map((message) => message.from)).toEqual(['Override']);
      await expect(send()).rejects.toBeInstanceOf(OtpSendRefusedError);
    } finally {
      await moduleRef.close();
    }
  });

  it('mounts the callbacks asked for, with the resolver given, answering sendOTP and status reports over HTTP', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryTestingModule.forRoot({ callbacks: { classic: true, statusReports: true }, resolver: Cardholders, imports: [DirectoryModule] })],
    }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const base = await app.getUrl();
      const [sms] = await app.get(IdvMethodsService).forCard('card-1');
      const headers = { 'content-type': 'application/json', 'x-correlation-id': 'testing-module-1', 'x-issuer-id': OTP_DELIVERY_TEST_DEFAULTS.issuerId };
      const sent = await fetch(`${base}/issuer/igwapi/v2.0/sendOTP`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ issuerCardRefId: 'card-1', otpValue: '024681', otpMethodId: sms!.id }),
      });
      expect({ status: sent.status, body: await sent.json() }).toEqual({ status: 200, body: {} });
      const [message] = app.get(CmSandbox).outbox;
      expect(message).toMatchObject({ to: '00819012345678', text: expect.stringContaining('024681') });

      const delivered = firstValueFrom(app.get(OtpDeliveryEvents).events$.pipe(filter((event) => event.type === 'delivered')));
      const report = await fetch(`${base}/cm/status-reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [STATUS_REPORT_SECRET_HEADER]: OTP_DELIVERY_TEST_DEFAULTS.statusReportSecret },
        body: JSON.stringify({ messages: { msg: { to: message!.to, reference: message!.reference, status: { code: '2' } } } }),
      });
      expect(report.status).toBe(200);
      expect(await delivered).toMatchObject({ type: 'delivered', deliveryId: message!.reference, channel: 'sms' });
    } finally {
      await app.close();
    }
  });

  it('stops a bad override at boot with the one configuration error', async () => {
    const boot = Test.createTestingModule({ imports: [OtpDeliveryTestingModule.forRoot({ cm: { sender: 'X' }, callbacks: { d1: true } })] }).compile();
    await expect(boot).rejects.toThrow(OtpDeliveryConfigError);
    await expect(boot).rejects.toThrow(/cm\.sender must be 3 to 11 characters[\s\S]*a CardholderContactResolver provider is required while callbacks\.d1 is mounted/);
  });

  it('hands openApi to the module beside the options, as its type says, and refuses a bad one as the module does', async () => {
    // It once went into the options and stopped the boot: "openApi is not an option".
    const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryTestingModule.forRoot({ openApi: 'on-demand' })] }).compile();
    await moduleRef.close();
    const boot = Test.createTestingModule({ imports: [OtpDeliveryTestingModule.forRoot({ openApi: 'lazy' as never })] }).compile();
    await expect(boot).rejects.toMatchObject({ problems: ["openApi must be 'startup' or 'on-demand'"] });
  });
});
