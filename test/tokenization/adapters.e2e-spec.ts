import { IdvMethodsService, type IdvMethod } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

/** The same callback flows on both HTTP platforms Nest ships. */
describe.each(['express', 'fastify'] as const)('callbacks on the %s adapter', (adapter) => {
  let harness: CallbackHarness;
  let methods: IdvMethod[];
  const classic = (path: string) => `${harness.url}/issuer/igwapi/v2.0/${path}`;

  beforeAll(async () => {
    harness = await startCallbackApp({ adapter });
    methods = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(() => harness.sandbox.clear());

  it('sendOTP delivers the code unchanged once, and a repeat answers the first outcome', async () => {
    const body = { issuerCardRefId: 'card-gb-0001', otpValue: '00098765', otpMethodId: methods[0]!.id, walletProviderId: 'ANDROID_PAY' };
    const first = await postJson(classic('sendOTP'), body, classicHeaders(`${adapter}-send-1`));
    const repeat = await postJson(classic('sendOTP'), body, classicHeaders(`${adapter}-send-1`));
    expect([first, repeat]).toEqual([{ status: 200, body: {} }, { status: 200, body: {} }]);
    expect(harness.sandbox.outbox).toHaveLength(1);
    expect(harness.sandbox.outbox[0]).toMatchObject({ to: '00447400123456', text: expect.stringContaining('00098765') });
  });

  it('answers 111 naming the missing field, and 403 for another issuer, sending nothing', async () => {
    const missing = await postJson(classic('sendOTP'), { issuerCardRefId: 'card-gb-0001', otpMethodId: methods[0]!.id }, classicHeaders(`${adapter}-send-2`));
    expect(missing).toEqual({ status: 400, body: { responseCode: 111, errorMessage: expect.stringContaining('otpValue') } });
    const foreign = await postJson(classic('sendOTP'), { issuerCardRefId: 'card-gb-0001', otpValue: '123456', otpMethodId: methods[0]!.id }, classicHeaders(`${adapter}-send-3`, 'ISSUER0002'));
    expect(foreign.status).toBe(403);
    expect(harness.sandbox.outbox).toHaveLength(0);
  });

  it('serves D1 consumer info and Deliver OTP (204)', async () => {
    const info = await fetch(`${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke`, { headers: { 'x-correlation-id': `${adapter}-d1-1` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ language: 'en-GB', lastName: 'Clarke' });
    const deliver = await postJson(
      `${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke/otp`,
      { otp: { value: '246810', reason: 'CARD-DIGITIZATION' }, deliveryChannel: 'SMS', panSuffix: '1881' },
      { 'content-type': 'application/json', 'x-correlation-id': `${adapter}-d1-2` },
    );
    expect(deliver.status).toBe(204);
    expect(harness.sandbox.outbox).toEqual([expect.objectContaining({ text: expect.stringContaining('246810') })]);
  });

  it('acknowledges a JSON CM status report with the secret and refuses one without', async () => {
    const report = { messages: { msg: { to: '00447400123456', reference: 'abc', status: { code: '2' } } } };
    expect((await postJson(`${harness.url}/cm/status-reports`, report, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await postJson(`${harness.url}/cm/status-reports`, report, { 'content-type': 'application/json', 'x-status-report-secret': STATUS_REPORT_SECRET })).status).toBe(200);
  });
});
