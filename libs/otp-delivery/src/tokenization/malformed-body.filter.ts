import { BadRequestException, Catch, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { CallbackErrorBody } from './callback-error-response.js';
import { resolveCallbackRoutes, type OtpCallbackRoutes } from './callback-routes.js';

/**
 * Answers requests whose JSON body could not be parsed, without echoing the body.
 *
 * Body parsing runs before routing, so the callbacks' own filter never sees these errors: Nest
 * turns the parser's `SyntaxError` into a `BadRequestException` carrying the parser's message,
 * and V8 fills some of those messages with a slice of the body (`Unexpected token '}', "{"otpValue":"123456",...`).
 * This filter answers a fixed text instead: the Thales `112` body on the callback paths, Nest's
 * usual shape elsewhere; every other exception gets Nest's default handling.
 *
 * It is **not registered by the module**: a global filter for `BadRequestException` would take
 * precedence over the app's own global filters. Register it yourself where that is what you want
 * (the sample app does):
 *
 * @example
 * // main.ts
 * app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), { classic: '/issuer/igwapi/v2.0' }));
 */
@Catch(BadRequestException)
export class MalformedBodyFilter extends BaseExceptionFilter {
  private readonly callbackPrefixes: readonly string[];

  constructor(
    private readonly adapter: HttpServer,
    /** The same routes given to the module. @default the module's default routes */
    routes: OtpCallbackRoutes = {},
  ) {
    super(adapter);
    this.callbackPrefixes = callbackPathPrefixes(routes);
  }

  override catch(exception: BadRequestException, host: ArgumentsHost): void {
    const cause = exception.cause as { type?: string } | undefined;
    if (cause?.type !== 'entity.parse.failed' || host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<{ url?: string }>();
    const path = String(this.adapter.getRequestUrl?.(request) ?? request.url ?? '').split('?')[0] ?? '';
    const onCallback = this.callbackPrefixes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
    const body: CallbackErrorBody | Record<string, unknown> = onCallback
      ? { responseCode: 112, errorMessage: 'Invalid parameter format: body' }
      : { statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' };
    this.adapter.reply(http.getResponse(), body, 400);
  }
}

/** Path prefixes the callbacks answer under, for the given routes (`undefined` keeps a default, as in the module). */
export function callbackPathPrefixes(routes: OtpCallbackRoutes): string[] {
  const resolved = resolveCallbackRoutes(routes);
  const mountedAt = (path: string) => (path.replace(/^\/+|\/+$/g, '') ? `/${path.replace(/^\/+|\/+$/g, '')}` : '');
  const prefixes: string[] = [];
  if (resolved.classic !== false) prefixes.push(mountedAt(resolved.classic) || '/');
  if (resolved.d1 !== false) prefixes.push(`${mountedAt(resolved.d1)}/banking/d1/`);
  if (resolved.statusReports !== false) prefixes.push(mountedAt(resolved.statusReports) || '/');
  return prefixes;
}
