import { MalformedBodyFilter } from 'nestjs-otp-delivery';
import { ALL_CALLBACKS, callbackAppPerSuite, classicHeaders, postJson } from './support/callback-app.js';

/** JSON text of `levels` objects (or arrays) nested in each other around `1`: a few bytes per level. */
function nestedJson(levels: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}` : `${'['.repeat(levels)}1${']'.repeat(levels)}`;
}

/**
 * A body nested a few thousand levels deep parses fine (V8's JSON parser is iterative) and used
 * to overflow the stack in class-transformer: 500/921, which invites the platform to retry into
 * the same crash. It is refused with 400/112 naming `body`, on both HTTP platforms.
 */
describe.each(['express', 'fastify'] as const)('deeply nested callback bodies on %s', (adapter) => {
  const suite = callbackAppPerSuite({ adapter, configure: (app) => app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), ALL_CALLBACKS)) });
  let correlation = 0;
  const nextCorrelationId = () => `depth-${adapter}-${(correlation += 1)}`;
  const classic = (operation: string) => `${suite.harness.url}/issuer/igwapi/v2.0/${operation}`;
  const deliverOtp = () => `${suite.harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke/otp`;
  const sendOtp = () => ({ issuerCardRefId: 'card-gb-0001', otpValue: '24681357', otpMethodId: suite.gbSms.id });
  const notify = { issuerCardRefId: 'card-gb-0001', virtualCardId: 'VC-1', walletProviderId: 'APPLE_PAY', tokenStorageId: 'dev-1', isPrimary: true, action: 'ACTIVATE' };
  const d1 = { otp: { value: '24681357' }, deliveryChannel: 'SMS' };
  /** A valid body with `deep` (JSON text) spliced in as the value of `field`. */
  const withDeep = (body: object, field: string, deep: string) => `${JSON.stringify(body).slice(0, -1)},"${field}":${deep}}`;

  const expectNothingSent = () => {
    expect(suite.harness.sandbox.requests).toHaveLength(0);
    expect(suite.harness.smtp.messages).toHaveLength(0);
  };
  const refused = { status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: body' } };

  it.each([
    ['sendOTP, in a known field', () => classic('sendOTP'), () => withDeep(sendOtp(), 'tokenRequestor', nestedJson(3000, 'object'))],
    ['sendOTP, in an unknown field', () => classic('sendOTP'), () => withDeep(sendOtp(), 'futureField', nestedJson(8000, 'array'))],
    ['notifyVirtualCardChange, in tokenInfo', () => classic('notifyVirtualCardChange'), () => withDeep(notify, 'tokenInfo', nestedJson(3000, 'object'))],
    ['Deliver OTP, in deviceInformation', deliverOtp, () => withDeep(d1, 'deviceInformation', nestedJson(3000, 'object'))],
    ['Deliver OTP, in an unknown field', deliverOtp, () => withDeep(d1, 'futureField', nestedJson(8000, 'array'))],
  ])('%s: 400/112 naming body (was 500/921), nothing sent', async (_name, url, body) => {
    expect(await postJson(url(), body(), classicHeaders(nextCorrelationId()))).toEqual(refused);
    expectNothingSent();
  });

  it('refuses one level over the limit (33) and delivers at the limit (32)', async () => {
    // The body is level 1; tokenRequestor and the objects inside it are the 32 levels below.
    const over = withDeep(sendOtp(), 'tokenRequestor', nestedJson(32, 'object'));
    expect(await postJson(classic('sendOTP'), over, classicHeaders(nextCorrelationId()))).toEqual(refused);
    expectNothingSent();
    const atLimit = withDeep(sendOtp(), 'tokenRequestor', nestedJson(31, 'object'));
    expect(await postJson(classic('sendOTP'), atLimit, classicHeaders(nextCorrelationId()))).toEqual({ status: 200, body: {} });
    expect(suite.harness.sandbox.outbox).toEqual([expect.objectContaining({ text: expect.stringContaining('24681357') })]);
  });
});
