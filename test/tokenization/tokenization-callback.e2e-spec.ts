import { Body, Controller, HttpCode, Module, Param, Post, Query } from '@nestjs/common';
import { IsDefined, IsString, Length } from 'class-validator';
import { IdvMethodsService, TokenizationCallback, type IdvMethod } from 'nestjs-otp-delivery';
import { classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

class DecisionRequest {
  @IsDefined()
  @IsString()
  @Length(1, 48)
  issuerCardRefId!: string;
}

/** An issuer's own route, built only from the public entry point, the decorator on the method. */
@Controller('issuer/own')
class IssuerRoutesController {
  constructor(private readonly idvMethods: IdvMethodsService) {}

  @Post(':scheme/decide')
  @TokenizationCallback()
  @HttpCode(200)
  async decide(@Param('scheme') scheme: string, @Query('channel') channel: string | undefined, @Body() body: DecisionRequest): Promise<{ scheme: string; methods: IdvMethod[] }> {
    const methods = await this.idvMethods.forCard(body.issuerCardRefId, undefined, { channels: channel === 'sms' ? ['sms'] : ['sms', 'email'] });
    return { scheme, methods };
  }
}

@Module({ controllers: [IssuerRoutesController] })
class IssuerRoutesModule {}

describe('@TokenizationCallback() on an issuer route', () => {
  let harness: CallbackHarness;
  let url: string;

  beforeAll(async () => {
    harness = await startCallbackApp({ imports: [IssuerRoutesModule] });
    url = `${harness.url}/issuer/own/visa/decide`;
  });

  afterAll(() => harness.close());

  it('validates the body against its class and leaves path and query parameters as they came', async () => {
    const answer = await postJson(`${url}?channel=sms`, { issuerCardRefId: 'card-gb-0002', extra: { ignored: true } }, classicHeaders('own-1'));
    expect(answer).toEqual({ status: 200, body: { scheme: 'visa', methods: [expect.objectContaining({ type: 'otpBySMS', value: '********3456' })] } });
  });

  it('answers the Thales errors of the callbacks: missing and malformed fields, headers, issuer, content type', async () => {
    expect(await postJson(url, {}, classicHeaders('own-2'))).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: issuerCardRefId' } });
    expect(await postJson(url, { issuerCardRefId: 42 }, classicHeaders('own-3'))).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: issuerCardRefId' } });
    const { 'x-correlation-id': _omitted, ...withoutCorrelationId } = classicHeaders('own-4');
    expect(await postJson(url, { issuerCardRefId: 'card-gb-0002' }, withoutCorrelationId)).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: x-correlation-id' } });
    expect((await postJson(url, { issuerCardRefId: 'card-gb-0002' }, classicHeaders('own-5', 'ISSUER0009'))).status).toBe(403);
    const form = await fetch(url, { method: 'POST', headers: { ...classicHeaders('own-6'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'issuerCardRefId=card-gb-0002' });
    expect({ status: form.status, body: await form.json() }).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: content-type' } });
  });
});
