import { Catch, HttpException, NotFoundException, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import type { CallbackErrorBody } from './callback-error-response.js';
import { callbackPathPrefixes, resolveCallbackRoutes, type OtpCallbackRoutes } from './callback-routes.js';
import { asCallbackRefusal, bodyParserRefusal, type BodyParserRefusal } from './body-parser-refusal.js';
import { CallbackValidationError } from './errors/callback-validation.error.js';
import { jsonContentTypeProblem } from './json-content-type.js';
import { isUndecodablePath, undecodableD1Param } from './undecodable-path.js';

/**
 * Answers the requests the app's body parser refuses (malformed JSON, a body over the size
 * limit, a broken or unknown `content-encoding`, an unsupported charset or media type), on
 * Express and Fastify, without echoing the body; and, on Express, a path whose route parameter
 * cannot be percent-decoded (`%ZZ`), without echoing the path (Express's message quotes it). A
 * request no route takes gets Nest's 404 with a fixed message, where Nest's own answer quotes the
 * whole URL. A request target in absolute form (`POST http://host/path`) is judged by its path, as
 * the router routes it.
 *
 * Body parsing runs before routing, so the callbacks' own filter never sees these errors: Nest
 * answers them with the parser's message, which can quote a slice of the body (V8's JSON errors:
 * `Unexpected token '}', "{"otpValue":"123456",...`) and has no Thales `responseCode`. This filter
 * answers on the callback paths the Thales body (`112` naming `body`, `content-type`,
 * `content-encoding` or `content-length`; HTTP 413 for a body over the limit; for an undecodable
 * D1 path, `112` naming `issuerId` or `consumerId`), and elsewhere Nest's usual shape with a fixed
 * message. Every other exception gets Nest's default handling.
 *
 * It is **not registered by the module**: a global filter for `HttpException` would take
 * precedence over the app's own global filters. Register it yourself where that is what you want
 * (the sample app does):
 *
 * @example
 * // main.ts
 * app.useGlobalFilters(new MalformedBodyFilter(app.getHttpAdapter(), { classic: true, d1: true, statusReports: true }));
 */
@Catch(HttpException)
export class MalformedBodyFilter extends BaseExceptionFilter {
  private readonly callbackPrefixes: readonly string[];
  /** The `d1` mount point (`/` by default), when the D1 routes are mounted. */
  private readonly d1Mount?: string;

  constructor(
    private readonly adapter: HttpServer,
    /** The same `callbacks` given to the module: refusals under their paths get the Thales body. */
    callbacks: OtpCallbackRoutes = {},
  ) {
    super(adapter);
    const routes = resolveCallbackRoutes(callbacks).routes;
    this.callbackPrefixes = callbackPathPrefixes(routes).map((prefix) => prefix.toLowerCase());
    this.d1Mount = routes.d1 === undefined ? undefined : routes.d1 ? `/${routes.d1}/` : '/';
  }

  override catch(exception: HttpException, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<{ url?: string; headers?: Record<string, string | string[] | undefined> }>();
    const headers = request.headers ?? {};
    const url = String(this.adapter.getRequestUrl?.(request) ?? request.url ?? '');
    const path = pathOf(url);
    const method = String(this.adapter.getRequestMethod?.(request) ?? '');
    if (exception instanceof NotFoundException && exception.message === `Cannot ${method} ${url}`) {
      // Nest's answer for no route quotes the URL: what a caller put there (markup, or a number
      // percent-encoded past any scrubbing) is not sent back.
      this.adapter.reply(http.getResponse(), { statusCode: 404, error: STATUS_CODES[404], message: NO_ROUTE }, 404);
      return;
    }
    if (isUndecodablePath(exception)) {
      this.#refusePath(path, http.getResponse());
      return;
    }
    const refusal = bodyParserRefusal(exception, headers);
    if (!refusal) {
      super.catch(exception, host);
      return;
    }
    const onCallback = this.#onCallback(path);
    if (onCallback) {
      this.adapter.reply(http.getResponse(), thalesBody(asCallbackRefusal(refusal, headers)), refusal.kind === 'too-large' ? 413 : 400);
      return;
    }
    const status = exception.getStatus();
    this.adapter.reply(http.getResponse(), { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: publicMessage(refusal, headers) }, status);
  }

  /** Case-insensitive, as Express's routes are: `/ISSUER/igwapi/v2.0/sendOTP` reaches the callback too. */
  #onCallback(path: string): boolean {
    const lower = path.toLowerCase();
    return this.callbackPrefixes.some((prefix) => lower === prefix || lower.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
  }

  /** Only the D1 routes have path parameters: elsewhere no callback is reached, whatever the path. */
  #refusePath(path: string, response: unknown): void {
    const param = this.d1Mount !== undefined && path.startsWith(this.d1Mount) ? undecodableD1Param(path.slice(this.d1Mount.length)) : undefined;
    if (param) {
      const error = new CallbackValidationError(param, 'format');
      this.adapter.reply(response, { responseCode: error.responseCode, errorMessage: error.message } satisfies CallbackErrorBody, 400);
      return;
    }
    this.adapter.reply(response, { statusCode: 400, error: STATUS_CODES[400], message: 'Malformed percent-encoding in the request path' }, 400);
  }
}

/** The message of a 404: fixed, as the path may hold anything. */
const NO_ROUTE = 'No route for this method and path';

/**
 * The path of the request target as the routers read it: the origin form (`/a/b?q`), or what
 * follows the authority of the absolute form (`http://host/a/b?q`, which a client may send), as it
 * came (no dot segment resolved: Express and Fastify resolve none).
 */
function pathOf(url: string): string {
  let target = url;
  if (!url.startsWith('/')) {
    const authority = url.indexOf('://');
    const end = authority === -1 ? -1 : url.slice(authority + 3).search(/[/?#]/);
    target = end === -1 || url[authority + 3 + end] !== '/' ? '/' : url.slice(authority + 3 + end);
  }
  return target.split('?')[0] ?? '';
}

function thalesBody(refusal: BodyParserRefusal): CallbackErrorBody {
  if (refusal.kind === 'too-large') return { responseCode: 112, errorMessage: `Invalid parameter format: ${refusal.field} (too large)` };
  const error = new CallbackValidationError(refusal.field, refusal.kind);
  return { responseCode: error.responseCode, errorMessage: error.message };
}

/** Fixed texts outside the callback paths: the parsers' own messages may quote the body. */
function publicMessage(refusal: BodyParserRefusal, headers: Record<string, string | string[] | undefined>): string {
  if (refusal.kind === 'too-large') return 'Request body too large';
  if (refusal.field === 'body' && jsonContentTypeProblem(headers['content-type'])) return 'Malformed request body';
  if (refusal.field === 'body') return refusal.kind === 'missing' ? 'Empty JSON body' : 'Malformed JSON body';
  return PUBLIC_MESSAGES[refusal.field];
}

const PUBLIC_MESSAGES: Record<Exclude<BodyParserRefusal['field'], 'body'>, string> = {
  'content-type': 'Unsupported content type',
  'content-encoding': 'Unsupported or malformed content encoding',
  'content-length': 'Body length does not match content-length',
};

