import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { OtpRequestContext } from 'nestjs-otp-delivery';

/** What the tokenization platform may send as `x-correlation-id` (the library's classic rule): anything else is not logged. */
const CORRELATION_ID = /^[\x21-\x7e]{1,64}$/;

type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * Express middleware for the callback app, mounted before everything else:
 * - runs the whole request (guards, pipes, the handler, exception filters) in `OtpRequestContext`
 *   with the request's `x-correlation-id`, or a made-up `req-<uuid>` when it has none or a
 *   malformed one, so every line logged for the request carries it, a 921 error line included
 *   (the library sets the context only inside its handlers, its exception filter runs outside);
 * - writes one access line per request: method, route pattern (never the path, which holds ids),
 *   status, duration and correlation id. No body, no header, no query string.
 */
export function requestContextMiddleware(logger = new Logger('Http')) {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const header = request.headers['x-correlation-id'];
    const correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : `req-${randomUUID()}`;
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const answered = response.writableFinished;
      logger.log({
        msg: answered ? 'request answered' : 'request aborted before the answer was sent',
        method: request.method,
        route: typeof request.route?.path === 'string' ? request.route.path : '(no route)',
        ...(answered ? { status: response.statusCode } : {}),
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        correlationId,
      });
    });
    OtpRequestContext.run(correlationId, next);
  };
}
