import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CallbackValidationError } from '../errors/callback-validation.error.js';
import { jsonContentTypeProblem } from '../json-content-type.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Encodings Express's body parser decodes. Fastify decodes none: a compressed body fails its JSON
 * parser and `MalformedBodyFilter` names `content-encoding`; an unknown encoding is refused here
 * on both, as Express's parser would refuse it.
 */
const DECODED_ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);

/**
 * Callbacks with a body take JSON only, before the body is validated: a missing `content-type`
 * answers 111, anything but `application/json` (charset utf-8 allowed) 112, as does an unknown
 * `content-encoding`. The app's parsers have already read such a body (Express turns a form into
 * an object the DTOs accept, Fastify hands plain text over as a string), so the route must not
 * trust that it came as JSON.
 */
@Injectable()
export class CallbackJsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<{ headers: Headers }>();
    const problem = jsonContentTypeProblem(headers['content-type']);
    if (problem) throw new CallbackValidationError('content-type', problem);
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && (typeof encoding !== 'string' || !DECODED_ENCODINGS.has(encoding.trim().toLowerCase()))) {
      throw new CallbackValidationError('content-encoding', 'format');
    }
    return true;
  }
}
