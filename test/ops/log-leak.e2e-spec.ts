import { IdvMethodsService } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from '../tokenization/support/callback-app.js';

/**
 * Every callback flow, with every log line captured: success, refusals, provider failures, D1,
 * lifecycle and status reports. No OTP, product token, full phone number, full email address or PAN
 * may appear, and every line logged while serving a request carries its correlation id.
 */
describe('logs of whole callback flows', () => {
  const logs: string[] = [];
  let harness: CallbackHarness;
  const codes = ['731902', '731903', '731904', '731905', '731906', '731907'];
  const d1Headers = (id: string) => ({ 'content-type': 'application/json', 'x-correlation-id': id });

  beforeAll(async () => {
    harness = await startCallbackApp({ logs });
    const [sms, email] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    logs.length = 0; // bootstrap lines are not part of a request

    const send = (otpMethodId: string, otpValue: string, id: string) =>
      postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId, walletProviderId: 'APPLE_PAY' }, classicHeaders(id));
    await send(sms!.id, codes[0]!, 'corr-leak-1');
    await send(email!.id, codes[1]!, 'corr-leak-2');
    harness.sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } });
    await send(sms!.id, codes[2]!, 'corr-leak-3');
    harness.sandbox.failNext(1, { status: 500, body: 'upstream exploded' });
    await send(sms!.id, codes[3]!, 'corr-leak-4');
    await send('not-a-method', codes[4]!, 'corr-leak-5');
    await fetch(`${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro`, { headers: d1Headers('corr-leak-6') });
    await postJson(
      `${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro/otp`,
      { otp: { value: codes[5], reason: 'CARD-DIGITIZATION' }, deliveryChannel: 'SMS', panSuffix: '4242' },
      d1Headers('corr-leak-7'),
    );
    await postJson(
      `${harness.url}/issuer/igwapi/v2.0/notifyVirtualCardChange`,
      { issuerCardRefId: 'card-jp-0001', virtualCardId: 'vc-1', walletProviderId: 'APPLE_PAY', tokenStorageId: 'ts-1', isPrimary: true, action: 'ACTIVATE', tokenInfo: { dpan: '5204731600014792', expiry: '1229' } },
      classicHeaders('corr-leak-8'),
    );
    // The platform's ids are logged as sent, unless they hold personal data (a platform bug, a hostile caller).
    await send('not-a-method', '731908', '+819012345678');
    await send('not-a-method', '731909', 'taro.yamada@example.jp');
    await postJson(`${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_nobody/otp`, { otp: { value: '731910' }, deliveryChannel: 'SMS' }, d1Headers('4111111111111111'));
    await postJson(
      `${harness.url}/cm/status-reports`,
      { messages: { msg: { to: '00819012345678', reference: harness.sandbox.outbox[0]?.reference ?? 'x', status: { code: '2' } } } },
      { 'content-type': 'application/json', 'x-status-report-secret': STATUS_REPORT_SECRET },
    );
  });

  afterAll(async () => {
    await harness.close();
  });

  it('logged the flows, refusals included (the assertions below are not vacuous)', () => {
    const all = logs.join('\n');
    for (const id of [1, 2, 3, 4, 5, 7, 8]) expect(all).toContain(`corr-leak-${id}`);
    for (const maskedId of ['****5678', 'ta*********@example.jp', '****1111']) expect(all).toContain(`"correlationId":"${maskedId}"`);
    expect(all).toMatch(/Tokenization callback refused.*"responseCode":911.*corr-leak-3|corr-leak-3.*"responseCode":911/);
    expect(all).toMatch(/corr-leak-5.*"responseCode":501|"responseCode":501.*corr-leak-5/);
  });

  it('never shows an OTP, the product token, a full phone number, a full email address or a PAN', () => {
    const all = logs.join('\n');
    const forbidden = [...codes, '731908', '731909', '731910', harness.sandbox.productToken, '9012345678', '819012345678', '90-1234-5678', 'taro.yamada@example.jp', '5204731600014792', '4111111111111111', STATUS_REPORT_SECRET];
    for (const value of forbidden) expect(all).not.toContain(value);
  });

  it('carries the correlation id on every line logged while serving a classic or D1 request', () => {
    // Status reports come from CM with no correlation id; every other line belongs to a request.
    const requestLines = logs.filter((line) => !/status.?report/i.test(line));
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line).toMatch(/corr-leak-\d|"correlationId":"(\*\*\*\*5678|ta\*+@example\.jp|\*\*\*\*1111)"/);
  });
});
