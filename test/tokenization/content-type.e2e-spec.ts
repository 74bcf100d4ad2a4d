import { MalformedBodyFilter } from 'nestjs-otp-delivery';
import { ALL_CALLBACKS, callbackAppPerSuite, ISSUER_ID } from './support/callback-app.js';
import { rawHttp } from '../support/raw-http.js';

/**
 * Callbacks with a body take `application/json` only. Express parses a form into an object the
 * DTOs accept (it was delivered), Fastify hands plain text over as a string and refuses types it
 * has no parser for before any route: every such request answers 400 naming `content-type`
 * (111 when the header is absent), and nothing is sent.
 */
describe.each(['express', 'fastify'] as const)('callback content types on %s', (adapter) => {
  const suite = callbackAppPerSuite({ adapter, configure: (app) => app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), ALL_CALLBACKS)) });
  let correlation = 0;
  const nextCorrelationId = () => `ctype-${adapter}-${(correlation += 1)}`;

  const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
  const NOTIFY = '/issuer/igwapi/v2.0/notifyVirtualCardChange';
  const DELIVER_OTP = '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke/otp';
  const sendOtp = () => ({ issuerCardRefId: 'card-gb-0001', otpValue: '97531864', otpMethodId: suite.gbSms.id });
  const notify = { issuerCardRefId: 'card-gb-0001', virtualCardId: 'VC-1', walletProviderId: 'APPLE_PAY', tokenStorageId: 'dev-1', isPrimary: 'true', action: 'ACTIVATE' };
  const deliver = { 'otp[value]': '97531864', deliveryChannel: 'SMS' };
  const refused = { status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: content-type' } };

  /** POSTs `body` as is: a string, or bytes (for which fetch sets no content-type of its own). */
  async function post(path: string, contentType: string | undefined, body: string | Uint8Array) {
    const headers: Record<string, string> = { 'x-correlation-id': nextCorrelationId(), 'x-issuer-id': ISSUER_ID };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const response = await fetch(suite.harness.url + path, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const expectNothingSent = () => {
    expect(suite.harness.sandbox.requests).toHaveLength(0);
    expect(suite.harness.smtp.messages).toHaveLength(0);
  };

  it.each([
    ['sendOTP', SEND_OTP, () => form(sendOtp())],
    ['notifyVirtualCardChange', NOTIFY, () => form(notify)],
    ['Deliver OTP', DELIVER_OTP, () => form(deliver)],
  ])('%s: a form body answers 112 naming content-type, nothing sent (Express delivered it)', async (_name, path, body) => {
    expect(await post(path, 'application/x-www-form-urlencoded', body())).toEqual(refused);
    expectNothingSent();
  });

  it.each([
    ['text/plain', () => JSON.stringify(sendOtp())],
    ['text/plain; charset=utf-8', () => JSON.stringify(sendOtp())],
    ['application/xml', () => '<sendOTP><otpValue>97531864</otpValue></sendOTP>'],
    ['multipart/form-data; boundary=xyz', () => `--xyz\r\nContent-Disposition: form-data; name="otpValue"\r\n\r\n97531864\r\n--xyz--\r\n`],
    ['application/json-patch+json', () => JSON.stringify(sendOtp())],
    ['application/x-www-form-urlencoded', () => `${form(sendOtp())}&__proto__=x`],
  ])('sendOTP as %s answers 112 naming content-type, nothing sent', async (type, body) => {
    expect(await post(SEND_OTP, type, body())).toEqual(refused);
    expectNothingSent();
  });

  it('answers 111 naming content-type when the header is absent, nothing sent', async () => {
    expect(await post(SEND_OTP, undefined, new TextEncoder().encode(JSON.stringify(sendOtp())))).toEqual({
      status: 400,
      body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: content-type' },
    });
    expectNothingSent();
  });

  it.each(['application/json', 'Application/JSON', 'application/json; charset=UTF-8', 'application/json;charset="utf-8"'])('delivers a body sent as %s', async (type) => {
    expect(await post(SEND_OTP, type, JSON.stringify(sendOtp()))).toEqual({ status: 200, body: {} });
    expect(suite.harness.sandbox.outbox).toEqual([expect.objectContaining({ text: expect.stringContaining('97531864') })]);
  });

  /** What fetch will not send (a header on two lines, a transfer coding besides chunked), written by hand. */
  async function rawPost(path: string, headerLines: string[], body: string, options?: { chunked?: boolean }) {
    const head = [`POST ${path} HTTP/1.1`, 'Host: localhost', `x-correlation-id: ${nextCorrelationId()}`, `x-issuer-id: ${ISSUER_ID}`, ...headerLines];
    const answer = await rawHttp(suite.harness.url, head, body, options);
    return { status: answer.status, body: answer.body ? (JSON.parse(answer.body) as unknown) : undefined };
  }

  it.each([
    ['application/json', 'text/plain'],
    ['application/json', 'application/x-www-form-urlencoded'],
    ['text/plain', 'application/json'],
  ])('a content-type sent on two lines (%s, then %s) answers 112 naming content-type, nothing sent (Node keeps the first)', async (first, second) => {
    expect(await rawPost(SEND_OTP, [`Content-Type: ${first}`, `Content-Type: ${second}`], JSON.stringify(sendOtp()))).toEqual(refused);
    expectNothingSent();
  });

  it.each(['gzip, chunked', 'deflate, chunked', 'x-custom, chunked'])('a plain JSON body under transfer-encoding %s answers 112 naming it, nothing sent', async (coding) => {
    expect(await rawPost(SEND_OTP, ['Content-Type: application/json', `Transfer-Encoding: ${coding}`], JSON.stringify(sendOtp()), { chunked: true })).toEqual({
      status: 400,
      body: { responseCode: 112, errorMessage: 'Invalid parameter format: transfer-encoding' },
    });
    expectNothingSent();
  });

  it('delivers a JSON body sent chunked', async () => {
    expect(await rawPost(SEND_OTP, ['Content-Type: application/json', 'Transfer-Encoding: chunked'], JSON.stringify(sendOtp()), { chunked: true })).toEqual({ status: 200, body: {} });
    expect(suite.harness.sandbox.outbox).toEqual([expect.objectContaining({ text: expect.stringContaining('97531864') })]);
  });
});
