import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyOtpDeliveryOpenApi } from 'nestjs-otp-delivery';

/** An Express app as a request handler: what the docs app is to the management app. */
type RequestHandler = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** Where the document is served on the management app: UI at `/docs`, JSON at `/docs-json` (SwaggerModule's default). */
export const OPENAPI_PATH = 'docs';

/**
 * The OpenAPI document of the callback app's routes (the tokenization callbacks and CM.com status
 * reports the library mounts, the issuer's `requestCardDigitization`). Loads `@nestjs/swagger` and
 * applies the library's metadata first (the module is set up with `openApi: 'on-demand'`).
 */
export async function buildOpenApiDocument(callbackApp: INestApplication): Promise<OpenAPIObject> {
  const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
  applyOtpDeliveryOpenApi();
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

/**
 * Serves the callback app's document on `app` (the management app: the callback port, open to the
 * platform, serves no documentation), built on the first request for it. Until someone reads the
 * docs, `@nestjs/swagger` is not loaded: about 4 MiB of heap for the life of the process
 * (BENCHMARKS.md, "Memory"). Call before `app.listen`.
 */
export function serveOpenApiOnDemand(app: INestApplication, callbackApp: INestApplication): void {
  let docs: Promise<RequestHandler> | undefined;
  app.use((request: IncomingMessage & { path: string }, response: ServerResponse, next: (error?: unknown) => void) => {
    if (!isDocsPath(request.path)) return next();
    // A failure (swagger not installed, say) is answered as an error, and the next request tries again.
    docs ??= docsServer(callbackApp).catch((error: unknown) => {
      docs = undefined;
      throw error;
    });
    docs.then((server) => server(request, response, next), next);
  });
}

/**
 * What the docs page loads under `/docs/`: SwaggerModule serves its UI package's whole folder there,
 * so any other name (the package's `package.json`, a path echoed in its 404) goes to the management
 * port's own answers instead.
 */
const DOCS_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui-init.js', 'favicon-32x32.png', 'favicon-16x16.png', 'oauth2-redirect.html']);

/** `/docs`, the files its page loads under `/docs/`, `/docs-json` and `/docs-yaml`. */
function isDocsPath(path: string): boolean {
  const base = `/${OPENAPI_PATH}`;
  if (path === base || path === `${base}/` || path === `${base}-json` || path === `${base}-yaml`) return true;
  return path.startsWith(`${base}/`) && DOCS_FILES.has(path.slice(base.length + 1));
}

/** Swagger UI and the document, set up by SwaggerModule on an app of their own that never listens. */
async function docsServer(callbackApp: INestApplication): Promise<RequestHandler> {
  const { SwaggerModule } = await import('@nestjs/swagger');
  const document = await buildOpenApiDocument(callbackApp);
  const adapter = new ExpressAdapter();
  // No `logger` option: Nest's logger is one for the whole process, and any value here would replace
  // the sample app's. The docs app's start lines are logged once, through it.
  const docsApp = await NestFactory.create(DocsModule, adapter);
  // As on the rest of the management port: no answer names the server's framework.
  adapter.disable('x-powered-by');
  SwaggerModule.setup(OPENAPI_PATH, docsApp, document);
  // After setup: init adds the 404 answer behind the routes SwaggerModule added.
  await docsApp.init();
  return adapter.getInstance<RequestHandler>();
}

/** The docs app has nothing of its own: SwaggerModule adds its routes. */
@Module({})
class DocsModule {}
