import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Where the document is served: UI at `/docs`, JSON at `/docs-json` (SwaggerModule's default). */
export const OPENAPI_PATH = 'docs';

/**
 * Builds the OpenAPI document of the app's routes (the tokenization callbacks and CM.com status
 * reports the library mounts) and serves it. Call before `app.listen`.
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nestjs-otp-delivery sample issuer app')
    .setDescription(
      'Callbacks the tokenization platforms (Thales classic TSH issuer gateway, Thales D1) and CM.com make on the issuer backend. ' +
        'Classic and D1 calls need mutual TLS in production; status reports need the shared secret header.',
    )
    .setVersion('1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_PATH, app, document);
  return document;
}
