import { DigitizationModule } from '../../sample-app/src/digitization/digitization.module.js';
import { classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

const PREFIX = '/issuer/igwapi/v2.0';

describe('sample app: requestCardDigitization built with IdvMethodsService, then sendOTP', () => {
  let harness: CallbackHarness;

  beforeAll(async () => {
    harness = await startCallbackApp({ imports: [DigitizationModule] });
  });

  afterAll(() => harness.close());

  it('answers yellow with masked methods whose ids a later sendOTP maps back', async () => {
    const decision = await postJson(`${harness.url}${PREFIX}/requestCardDigitization`, { issuerCardRefId: 'card-gb-0002', cipheredCardInfo: 'opaque' }, classicHeaders('corr-digitize'));
    expect(decision).toEqual({
      status: 200,
      body: {
        levelOfTrust: 'yellow',
        idvMethodList: [
          { id: expect.stringMatching(/^s[A-Za-z0-9_-]{16}$/), type: 'otpBySMS', value: '********3456' },
          { id: expect.stringMatching(/^e[A-Za-z0-9_-]{16}$/), type: 'otpByEmail', value: 'em**********@example.co.uk' },
        ],
      },
    });
    const [sms] = (decision.body as { idvMethodList: { id: string }[] }).idvMethodList;
    const sent = await postJson(`${harness.url}${PREFIX}/sendOTP`, { issuerCardRefId: 'card-gb-0002', otpValue: '908172', otpMethodId: sms!.id }, classicHeaders('corr-digitize'));
    expect(sent).toEqual({ status: 200, body: {} });
    expect(harness.sandbox.outbox).toHaveLength(1);
    expect(harness.sandbox.outbox[0]!.to).toBe('00447400123456');
    expect(harness.sandbox.outbox[0]!.text).toContain('908172');
    expect(harness.sandbox.outbox[0]!.text).toContain('5100');
  });

  it('declines an unknown card (red) and answers the Thales errors', async () => {
    expect((await postJson(`${harness.url}${PREFIX}/requestCardDigitization`, { issuerCardRefId: 'nope' }, classicHeaders('c'))).body).toEqual({ levelOfTrust: 'red' });
    expect(await postJson(`${harness.url}${PREFIX}/requestCardDigitization`, {}, classicHeaders('c'))).toEqual({
      status: 400,
      body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: issuerCardRefId' },
    });
    expect((await postJson(`${harness.url}${PREFIX}/requestCardDigitization`, { issuerCardRefId: 'card-gb-0002' }, classicHeaders('c', 'ISSUER0009'))).status).toBe(403);
  });
});
