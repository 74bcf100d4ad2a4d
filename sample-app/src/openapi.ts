import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Where the document is served on the management port: UI at `/docs`, JSON at `/docs-json` (SwaggerModule's default). */
export const OPENAPI_PATH = 'docs';

/**
 * The OpenAPI document of the callback app's routes (the tokenization callbacks and CM.com status
 * reports the library mounts, the issuer's `requestCardDigitization`). Call before `listen`.
 */
export function buildOpenApiDocument(callbackApp: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nestjs-otp-delivery sample issuer app')
    .setDescription(
      'Callbacks the tokenization platforms (Thales classic TSH issuer gateway, Thales D1) and CM.com make on the issuer backend. ' +
        'Classic and D1 calls need mutual TLS in production; status reports need the shared secret header.',
    )
    .setVersion('1.0')
    .build();
  return SwaggerModule.createDocument(callbackApp, config);
}

/** Serves the document on the management app: the callback port, open to the platform, serves no documentation. */
export function serveOpenApi(managementApp: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(OPENAPI_PATH, managementApp, document);
}
