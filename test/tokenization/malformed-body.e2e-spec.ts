import { Controller, Post, Body } from '@nestjs/common';
import { MalformedBodyFilter } from 'nestjs-otp-delivery';
import { startCallbackApp, classicHeaders, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

@Controller('issuer-own')
class IssuerOwnController {
  @Post()
  echo(@Body() body: unknown) {
    return body;
  }
}

/** Body parsing fails before routing: with MalformedBodyFilter the answer fits the route and never quotes the body. */
describe('a body that is not valid JSON', () => {
  let harness: CallbackHarness;
  const secretish = '"otpValue":"918273" +81 90 1234 5678';

  beforeAll(async () => {
    harness = await startCallbackApp({
      imports: [{ module: class IssuerModule {}, controllers: [IssuerOwnController] }],
      configure: (app) => app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter())),
    });
  });

  afterAll(async () => {
    await harness.close();
    await harness.sandbox.close();
    await harness.smtp.close();
  });

  async function post(path: string, headers: Record<string, string>) {
    const response = await fetch(`${harness.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: `{${secretish}` });
    return { status: response.status, text: await response.text() };
  }

  it.each([
    ['classic sendOTP', '/issuer/igwapi/v2.0/sendOTP', classicHeaders('malformed-1')],
    ['classic notifyVirtualCardChange', '/issuer/igwapi/v2.0/notifyVirtualCardChange', classicHeaders('malformed-2')],
    ['D1 Deliver OTP', '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro/otp', { 'x-correlation-id': 'malformed-3' }],
    ['CM status reports', '/cm/status-reports', { 'x-status-report-secret': STATUS_REPORT_SECRET }],
  ])('on %s answers the Thales 112 body, sends nothing', async (_name, path, headers) => {
    const { status, text } = await post(path, headers);
    expect(status).toBe(400);
    expect(JSON.parse(text)).toEqual({ responseCode: 112, errorMessage: 'Invalid parameter format: body' });
    expect(text).not.toMatch(/918273|5678/);
    expect(harness.sandbox.outbox).toHaveLength(0);
    expect(harness.smtp.messages).toHaveLength(0);
  });

  it("on the issuer's own routes keeps Nest's shape, without the parser's message", async () => {
    const { status, text } = await post('/issuer-own', {});
    expect(status).toBe(400);
    expect(JSON.parse(text)).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' });
  });

  it('leaves every other 400 to Nest (the callbacks still answer their own 111)', async () => {
    const response = await fetch(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { method: 'POST', headers: { 'content-type': 'application/json', ...classicHeaders('malformed-4') }, body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ responseCode: 111 });
  });

  it('leaves valid JSON to the routes', async () => {
    const response = await fetch(`${harness.url}/issuer-own`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await response.json()).toEqual({ a: 1 });
  });
});
