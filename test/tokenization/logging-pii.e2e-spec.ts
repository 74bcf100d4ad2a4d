import { IdvMethodsService } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

describe('tokenization callbacks never log a code, a full destination or tokenInfo', () => {
  const logs: string[] = [];
  let harness: CallbackHarness;

  beforeAll(async () => {
    harness = await startCallbackApp({ logs });
  });

  afterAll(() => harness.close());

  it('logs the flow with the correlation id, masked', async () => {
    const [sms, email] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    const send = (otpMethodId: string, otpValue: string, id: string) =>
      postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId }, classicHeaders(id));
    expect((await send(sms!.id, '731902', 'corr-log-1')).status).toBe(200);
    expect((await send(email!.id, '731903', 'corr-log-2')).status).toBe(200);
    harness.sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } });
    expect((await send(sms!.id, '731904', 'corr-log-3')).status).toBe(400);
    await postJson(
      `${harness.url}/issuer/igwapi/v2.0/notifyVirtualCardChange`,
      { issuerCardRefId: 'card-jp-0001', virtualCardId: 'vc', walletProviderId: 'APPLE_PAY', tokenStorageId: 'ts', isPrimary: true, action: 'ACTIVATE', tokenInfo: { dpan: '5204731600014792' } },
      classicHeaders('corr-log-4'),
    );
    await postJson(`${harness.url}/cm/status-reports`, { messages: { msg: { to: '00819012345678', reference: harness.sandbox.outbox[0]!.reference, status: { code: '2' } } } }, {
      'content-type': 'application/json',
      'x-status-report-secret': STATUS_REPORT_SECRET,
    });

    const all = logs.join('\n');
    expect(all).toContain('corr-log-1');
    expect(all).toContain('********5678');
    for (const secret of ['731902', '731903', '731904', '9012345678', '90-1234-5678', 'taro.yamada@', '5204731600014792', STATUS_REPORT_SECRET]) {
      expect(all).not.toContain(secret);
    }
  });
});
