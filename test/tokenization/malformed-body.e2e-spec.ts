import { Controller, Post, Body, Get, Param } from '@nestjs/common';
import { gzipSync } from 'node:zlib';
import { IdvMethodsService, MalformedBodyFilter } from 'nestjs-otp-delivery';
import { ALL_CALLBACKS, callbackAppPerSuite, startCallbackApp, classicHeaders, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';
import { rawHttp } from '../support/raw-http.js';

@Controller('issuer-own')
class IssuerOwnController {
  @Post()
  echo(@Body() body: unknown) {
    return body;
  }
}

@Controller('issuer-own')
class IssuerOwnParamController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { found: id.length };
  }
}

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

/**
 * Body parsing fails before routing: with MalformedBodyFilter every refusal of the app's body
 * parser answers in the route's shape (Thales on the callback paths) and never quotes the body,
 * on Express and on Fastify, whose parsers fail differently.
 */
describe.each(['express', 'fastify'] as const)('bodies the %s body parser refuses', (adapter) => {
  let harness: CallbackHarness;
  let correlation = 0;
  const nextCorrelationId = () => `malformed-${adapter}-${(correlation += 1)}`;
  const secretish = '"otpValue":"918273" +81 90 1234 5678';

  beforeAll(async () => {
    harness = await startCallbackApp({
      adapter,
      imports: [{ module: class IssuerModule {}, controllers: [IssuerOwnController] }],
      configure: (app) => app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), ALL_CALLBACKS)),
    });
  });

  afterEach(() => {
    expect(harness.sandbox.requests).toHaveLength(0);
    expect(harness.smtp.messages).toHaveLength(0);
  });

  afterAll(async () => {
    await harness.close();
  });

  async function post(path: string, headers: Record<string, string>, body: string | Buffer = `{${secretish}`) {
    const response = await fetch(`${harness.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await response.text();
    expect(text).not.toMatch(/918273|5678/);
    return { status: response.status, body: JSON.parse(text) as unknown };
  }

  describe('malformed JSON', () => {
    it.each([
      ['classic sendOTP', SEND_OTP, () => classicHeaders(nextCorrelationId())],
      ['classic notifyVirtualCardChange', '/issuer/igwapi/v2.0/notifyVirtualCardChange', () => classicHeaders(nextCorrelationId())],
      ['D1 Deliver OTP', '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro/otp', () => ({ 'x-correlation-id': nextCorrelationId() })],
      ['CM status reports', '/cm/status-reports', () => ({ 'x-status-report-secret': STATUS_REPORT_SECRET })],
    ])('on %s answers the Thales 112 body, sends nothing', async (_name, path, headers) => {
      expect(await post(path, headers())).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: body' } });
    });

    it('answers the Thales body on a callback path in another letter case, which Express routes to the callback', async () => {
      expect(await post('/ISSUER/igwapi/v2.0/sendOTP', classicHeaders(nextCorrelationId()))).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: body' } });
    });

    it("on the issuer's own routes keeps Nest's shape, without the parser's message", async () => {
      expect(await post('/issuer-own', {})).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' } });
    });
  });

  describe('a body over the size limit (Express 100 KB, Fastify 1 MB by default)', () => {
    const huge = () => JSON.stringify({ issuerCardRefId: 'card-gb-0001', otpValue: '918273', otpMethodId: 'm', padding: `${secretish} `.repeat(40_000) });

    it('keeps HTTP 413 with the Thales body on a callback', async () => {
      expect(await post(SEND_OTP, classicHeaders(nextCorrelationId()), huge())).toEqual({
        status: 413,
        body: { responseCode: 112, errorMessage: 'Invalid parameter format: body (too large)' },
      });
    });

    it("keeps Nest's shape elsewhere", async () => {
      expect(await post('/issuer-own', {}, huge())).toEqual({ status: 413, body: { statusCode: 413, error: 'Payload Too Large', message: 'Request body too large' } });
    });
  });

  describe('content-encoding', () => {
    const brokenGzip = () => gzipSync(`{${secretish}}`).subarray(0, 12);
    const refused = { status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: content-encoding' } };

    it('answers a broken gzip body with 112 naming content-encoding (was "incorrect header check")', async () => {
      expect(await post(SEND_OTP, { ...classicHeaders(nextCorrelationId()), 'content-encoding': 'gzip' }, brokenGzip())).toEqual(refused);
      expect(await post(SEND_OTP, { ...classicHeaders(nextCorrelationId()), 'content-encoding': 'deflate' }, Buffer.from(`{${secretish}}`))).toEqual(refused);
    });

    it('refuses a plain JSON body labelled compressed, which Fastify would parse and send (it decodes no body)', async () => {
      const [sms] = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
      const body = JSON.stringify({ issuerCardRefId: 'card-gb-0001', otpValue: '24681357', otpMethodId: sms!.id });
      for (const encoding of ['gzip', 'deflate', 'br']) {
        expect(await post(SEND_OTP, { ...classicHeaders(nextCorrelationId()), 'content-encoding': encoding }, body)).toEqual(refused);
      }
    });

    it('answers an unknown encoding with 112 naming content-encoding', async () => {
      const body = JSON.stringify({ issuerCardRefId: 'card-gb-0001', otpValue: '918273', otpMethodId: 'm' });
      expect(await post(SEND_OTP, { ...classicHeaders(nextCorrelationId()), 'content-encoding': 'x-snappy' }, body)).toEqual(refused);
    });

    it("keeps Nest's shape elsewhere", async () => {
      expect(await post('/issuer-own', { 'content-encoding': 'gzip' }, brokenGzip())).toEqual({
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message: 'Unsupported or malformed content encoding' },
      });
    });
  });

  it('answers a charset other than utf-8 with 112 naming content-type', async () => {
    const body = JSON.stringify({ issuerCardRefId: 'card-gb-0001', otpValue: '918273', otpMethodId: 'm' });
    for (const charset of ['latin1', 'iso-8859-1', 'utf8']) {
      expect(await post(SEND_OTP, { ...classicHeaders(nextCorrelationId()), 'content-type': `application/json; charset=${charset}` }, body)).toEqual({
        status: 400,
        body: { responseCode: 112, errorMessage: 'Invalid parameter format: content-type' },
      });
    }
  });

  it('answers an empty JSON body with 111 (Express reads it as {} and names the first field, Fastify refuses it)', async () => {
    const answer = await post(SEND_OTP, classicHeaders(nextCorrelationId()), '');
    expect(answer).toEqual({
      status: 400,
      body: { responseCode: 111, errorMessage: `Missing mandatory parameter: ${adapter === 'express' ? 'issuerCardRefId' : 'body'}` },
    });
  });

  it('leaves every other 400 to Nest (the callbacks still answer their own 111)', async () => {
    expect(await post(SEND_OTP, classicHeaders(nextCorrelationId()), '{}')).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: issuerCardRefId' } });
    const notFound = await fetch(`${harness.url}/issuer/igwapi/v2.0/sendOTPs`, { method: 'POST', headers: classicHeaders('x'), body: '{}' });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ statusCode: 404 });
  });

  it('answers a request no route takes with 404 and a fixed message: nothing of its path or query comes back', async () => {
    const notFound = { statusCode: 404, error: 'Not Found', message: 'No route for this method and path' };
    for (const path of [
      '/issuer/igwapi/v2.0/sendOTP/4111111111111111?phone=+819012345678&email=taro.yamada@example.jp',
      '/x/4111%201111%201111%201111',
      '/x/%2B81%2090%201234%205678/taro.yamada%40example.jp',
      '/issuer/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    ]) {
      const response = await fetch(`${harness.url}${path}`);
      expect([path, response.status, await response.json()]).toEqual([path, 404, notFound]);
    }
    const absolute = await rawHttp(harness.url, ['GET http://evil.example/<svg/onload=alert(1)> HTTP/1.1', 'Host: evil.example']);
    expect([absolute.status, JSON.parse(absolute.body)]).toEqual([404, notFound]);
  });

  it('judges a request target in absolute form by its path: a refusal on a callback path keeps the Thales shape', async () => {
    const answer = await rawHttp(harness.url, [`POST http://x${SEND_OTP} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', 'x-issuer-id: ISSUER0001', `x-correlation-id: ${nextCorrelationId()}`], '{"issuerCardRefId":');
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { responseCode: 112, errorMessage: 'Invalid parameter format: body' }]);
  });

  it('leaves valid JSON to the routes', async () => {
    expect(await post('/issuer-own', {}, '{"a":1}')).toEqual({ status: 201, body: { a: 1 } });
  });
});

/** A valid compressed body is decoded by Express's parser and sent as usual. */
describe('a valid gzip body on Express', () => {
  let harness: CallbackHarness;

  beforeAll(async () => {
    harness = await startCallbackApp({ configure: (app) => app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), ALL_CALLBACKS)) });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('is delivered', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
    const body = gzipSync(JSON.stringify({ issuerCardRefId: 'card-gb-0001', otpValue: '13572468', otpMethodId: sms!.id }));
    const response = await fetch(`${harness.url}${SEND_OTP}`, { method: 'POST', headers: { ...classicHeaders('gzip-1'), 'content-encoding': 'gzip' }, body });
    expect(response.status).toBe(200);
    expect(harness.sandbox.outbox).toEqual([expect.objectContaining({ text: expect.stringContaining('13572468') })]);
  });
});

/**
 * Express's router cannot percent-decode a route parameter such as `%ZZ`: its error quotes the raw
 * value (`Failed to decode param '%ZZ4111111111111111'`), which could be a PAN or a phone number.
 * (Fastify's router answers such a URL itself, before Nest and its filters.)
 */
describe('a path Express cannot percent-decode', () => {
  const suite = callbackAppPerSuite({
    imports: [{ module: class IssuerPathModule {}, controllers: [IssuerOwnParamController] }],
    configure: (app) => app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), ALL_CALLBACKS)),
  });
  const D1 = '/banking/d1/v1/issuers';

  /** Calls the app: the answer never quotes the path, and nothing is sent. */
  async function call(method: 'GET' | 'POST', path: string) {
    const response = await fetch(`${suite.harness.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'undecodable-path' },
      body: method === 'POST' ? JSON.stringify({ otp: { value: '123456' }, deliveryChannel: 'SMS' }) : undefined,
    });
    const text = await response.text();
    expect(text).not.toMatch(/%ZZ|4111|819012/);
    expect(suite.harness.sandbox.requests).toHaveLength(0);
    expect(suite.harness.smtp.messages).toHaveLength(0);
    return { status: response.status, body: JSON.parse(text) as unknown };
  }

  it.each([
    ['GET', `${D1}/ISSUER0001/consumers/%ZZ4111111111111111`, 'consumerId'],
    ['POST', `${D1}/ISSUER0001/consumers/%ZZ819012345678/otp`, 'consumerId'],
    ['POST', `${D1}/ISS%ZZ0001/consumers/cons_yamada_taro/otp`, 'issuerId'],
    ['GET', `${D1}/ISS%ZZ0001/consumers/%ZZ4111111111111111`, 'issuerId'],
  ] as const)('%s %s answers the Thales 112 naming %s, without the value, sending nothing', async (method, path, field) => {
    expect(await call(method, path)).toEqual({ status: 400, body: { responseCode: 112, errorMessage: `Invalid parameter format: ${field}` } });
  });

  it('answers the Thales 112 naming consumerId for a request target in absolute form too', async () => {
    const answer = await rawHttp(suite.harness.url, [`POST http://x${D1}/ISSUER0001/consumers/%ZZ4111111111111111/otp HTTP/1.1`, 'Host: x', 'Content-Type: application/json', 'x-correlation-id: undecodable-absolute'], '{}');
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { responseCode: 112, errorMessage: 'Invalid parameter format: consumerId' }]);
    expect(suite.harness.sandbox.requests).toHaveLength(0);
  });

  it('answers Nest\'s shape with a fixed message off the callback paths', async () => {
    expect(await call('GET', '/issuer-own/%ZZ4111111111111111')).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'Malformed percent-encoding in the request path' },
    });
  });
});
