import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STATUS_REPORT_SECRET_HEADER } from 'nestjs-otp-delivery';
import { serveOpenApiOnDemand } from '../../sample-app/src/openapi.js';
import { startCallbackApp, type CallbackHarness } from './support/callback-app.js';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: Record<string, unknown>;
}
interface Operation {
  readonly tags?: string[];
  readonly summary?: string;
  readonly parameters?: Parameter[];
  readonly requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  readonly responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}
interface Schema {
  readonly properties: Record<string, Record<string, unknown>>;
  readonly required?: string[];
}
interface OpenApiDocument {
  readonly info: { title: string };
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { schemas: Record<string, Schema> };
}

const CLASSIC = '/issuer/igwapi/v2.0';
const D1_CONSUMER = '/banking/d1/v1/issuers/{issuerId}/consumers/{consumerId}';

/** The component a `$ref` points at. */
function resolve(document: OpenApiDocument, ref: string | undefined): Schema {
  expect(ref).toMatch(/^#\/components\/schemas\//);
  const schema = document.components.schemas[ref!.replace('#/components/schemas/', '')];
  expect(schema).toEqual(expect.objectContaining({ type: 'object' }));
  return schema!;
}

function parameter(operation: Operation, where: string, name: string): Parameter {
  const found = operation.parameters?.find((p) => p.in === where && p.name === name);
  expect(found).toMatchObject({ in: where, name });
  return found!;
}

describe('OpenAPI document of the callbacks (sample app setup, served over HTTP)', () => {
  let harness: CallbackHarness;
  let document: OpenApiDocument;

  beforeAll(async () => {
    harness = await startCallbackApp({ configure: (app) => serveOpenApiOnDemand(app, app) });
    const response = await fetch(`${harness.url}/docs-json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    document = (await response.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('is titled for the sample app and lists every callback route with its method', () => {
    expect(document.info.title).toBe('nestjs-otp-delivery sample issuer app');
    expect(Object.keys(document.paths[`${CLASSIC}/sendOTP`] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths[`${CLASSIC}/notifyVirtualCardChange`] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths[D1_CONSUMER] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths[`${D1_CONSUMER}/otp`] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths['/cm/status-reports'] ?? {})).toEqual(['post']);
  });

  it('groups the operations by tag and gives each a summary', () => {
    expect(document.paths[`${CLASSIC}/sendOTP`]!.post!.tags).toEqual(['Tokenization callbacks (Thales classic)']);
    expect(document.paths[`${D1_CONSUMER}/otp`]!.post!.tags).toEqual(['Tokenization callbacks (D1)']);
    expect(document.paths['/cm/status-reports']!.post!.tags).toEqual(['CM.com status reports']);
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) expect(operation.summary).toEqual(expect.any(String));
    }
  });

  it('describes the sendOTP body with its required fields', () => {
    const operation = document.paths[`${CLASSIC}/sendOTP`]!.post!;
    const body = resolve(document, operation.requestBody?.content['application/json']?.schema.$ref);
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['issuerCardRefId', 'otpValue', 'otpMethodId', 'walletProviderId', 'expirationDate']));
    expect([...(body.required ?? [])].sort()).toEqual(['issuerCardRefId', 'otpMethodId', 'otpValue']);
    expect(body.properties.issuerCardRefId).toMatchObject({ type: 'string', minLength: 1, maxLength: 48 });
    // The default of tokenization.otpValuePattern.
    expect(body.properties.otpValue).toMatchObject({ type: 'string', pattern: '^\\d{4,10}$', minLength: 4, maxLength: 10, example: '123456' });
    expect(String(body.properties.expirationDate!.description)).toMatch(/unconfirmed/);
  });

  it('documents x-correlation-id and x-issuer-id as required headers of the classic calls', () => {
    for (const path of [`${CLASSIC}/sendOTP`, `${CLASSIC}/notifyVirtualCardChange`]) {
      const operation = document.paths[path]!.post!;
      expect(parameter(operation, 'header', 'x-correlation-id')).toMatchObject({ required: true, schema: { minLength: 1, maxLength: 64 } });
      expect(parameter(operation, 'header', 'x-issuer-id')).toMatchObject({ required: true, schema: { minLength: 10, maxLength: 10 } });
    }
  });

  it('documents the D1 path parameters, the optional correlation id and cardId, and the 204/404 answers', () => {
    const get = document.paths[D1_CONSUMER]!.get!;
    const deliver = document.paths[`${D1_CONSUMER}/otp`]!.post!;
    for (const operation of [get, deliver]) {
      expect(parameter(operation, 'path', 'issuerId')).toMatchObject({ required: true, schema: { minLength: 10, maxLength: 10 } });
      expect(parameter(operation, 'path', 'consumerId')).toMatchObject({ required: true, schema: { pattern: '^[A-Za-z0-9_-]{1,64}$' } });
      expect(parameter(operation, 'header', 'x-correlation-id')).toMatchObject({ required: false, schema: { pattern: '^[A-Za-z0-9_-]{1,64}$' } });
      expect(operation.responses['404']).toMatchObject({ description: expect.any(String) });
    }
    expect(parameter(get, 'query', 'cardId')).toMatchObject({ required: false, schema: { pattern: '^[A-Za-z0-9_-]{1,48}$' } });
    expect(Object.keys(deliver.responses)).toContain('204');
    const body = resolve(document, deliver.requestBody?.content['application/json']?.schema.$ref);
    expect([...(body.required ?? [])].sort()).toEqual(['deliveryChannel', 'otp']);
    expect(body.properties.deliveryChannel).toMatchObject({ enum: ['SMS', 'EMAIL'] });
    // A described `$ref` comes wrapped in `allOf`.
    const otpRef = body.properties.otp as { $ref?: string; allOf?: { $ref?: string }[] };
    const otp = resolve(document, otpRef.$ref ?? otpRef.allOf?.[0]?.$ref);
    expect(otp.properties.value).toMatchObject({ type: 'string', pattern: '^\\d{4,10}$', example: '123456' });
  });

  it('points the error answers at the error body schema with the Thales response codes', () => {
    const operation = document.paths[`${CLASSIC}/sendOTP`]!.post!;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '500']));
    const error = resolve(document, operation.responses['400']!.content?.['application/json']?.schema.$ref);
    expect(error.properties.responseCode).toMatchObject({ enum: [111, 112, 164, 501, 911, 921] });
    expect(error.properties.errorMessage).toMatchObject({ type: 'string' });
    expect(String(error.properties.responseCode!.description)).toContain('"The OTP has expired"');
    expect(error.required).toEqual(['errorMessage']);
    expect(operation.responses['500']!.content?.['application/json']?.schema.$ref).toBe(operation.responses['400']!.content?.['application/json']?.schema.$ref);
  });

  it('documents the status report secret header', () => {
    const operation = document.paths['/cm/status-reports']!.post!;
    expect(parameter(operation, 'header', STATUS_REPORT_SECRET_HEADER)).toMatchObject({ required: true });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '500']));
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await fetch(`${harness.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/swagger-ui/i);
  });

  it('leaves the callbacks working as before: a sendOTP without x-issuer-id still answers 111', async () => {
    const response = await fetch(`${harness.url}${CLASSIC}/sendOTP`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'openapi-1' },
      body: JSON.stringify({ issuerCardRefId: 'x', otpValue: '123456', otpMethodId: 'm' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ responseCode: 111, errorMessage: 'Missing mandatory parameter: x-issuer-id' });
  });
});
