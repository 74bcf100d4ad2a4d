import { Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CallbackValidationError } from '../errors/callback-validation.error.js';
import { jsonContentTypeProblem } from '../json-content-type.js';
import { hasTransferCodingBesidesChunked } from '../transfer-coding.js';
import { isRepeatedHeader, type RequestHeaders } from '../header-lines.js';

/** Encodings Express's body parser decodes: an unknown one is refused here, as its parser would refuse it. */
const EXPRESS_DECODED = new Set(['identity', 'gzip', 'deflate', 'br']);
/**
 * Fastify decodes none: a compressed body fails its JSON parser (`MalformedBodyFilter` names
 * `content-encoding`), but a plain one labelled `gzip` parses, and would be acted on as something
 * other than what an ingress that decodes by the header saw.
 */
const FASTIFY_DECODED = new Set(['identity']);

/**
 * Callbacks with a body take JSON only, before the body is validated: a missing `content-type`
 * answers 111, anything but `application/json` (charset utf-8 allowed) 112, as do a repeated
 * `content-type`, a `transfer-encoding` other than `chunked`, and a `content-encoding` the app's
 * body parser does not decode (on Fastify, any but `identity`). The app's parsers have already read such a body (Express turns a form into
 * an object the DTOs accept, Fastify hands plain text over as a string), so the route must not
 * trust that it came as JSON.
 */
@Injectable()
export class CallbackJsonBodyGuard implements CanActivate {
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestHeaders>();
    const { headers } = request;
    // Node keeps the first of two content-type lines: `application/json` then `text/plain` would pass.
    const problem = isRepeatedHeader(request, 'content-type') ? 'format' : jsonContentTypeProblem(headers['content-type']);
    if (problem) throw new CallbackValidationError('content-type', problem);
    // Node takes `chunked` apart and hands any other transfer coding over as it came: a plain body
    // labelled `gzip, chunked` would be acted on as something an ingress that decodes it did not see.
    if (hasTransferCodingBesidesChunked(headers['transfer-encoding'])) throw new CallbackValidationError('transfer-encoding', 'format');
    const encoding = headers['content-encoding'];
    // Read per request: a testing module creates the guard before the app has its HTTP adapter.
    const decoded = this.adapterHost?.httpAdapter?.getType() === 'fastify' ? FASTIFY_DECODED : EXPRESS_DECODED;
    if (encoding !== undefined && (typeof encoding !== 'string' || !decoded.has(encoding.trim().toLowerCase()))) {
      throw new CallbackValidationError('content-encoding', 'format');
    }
    return true;
  }
}
