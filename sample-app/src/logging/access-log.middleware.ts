import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactText } from 'nestjs-otp-delivery';

/** What the tokenization platform may send as `x-correlation-id` (the library's classic rule): anything else is not logged. */
const CORRELATION_ID = /^[\x21-\x7e]{1,64}$/;

type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/** One access line: its fields (no personal data: method, route pattern, status, timing, id) and message. */
export type AccessLog = (fields: Record<string, unknown>, msg: string) => void;

/**
 * Express middleware for the callback app, mounted before everything else: one access line per
 * request (method, route pattern, never the path, which holds ids; status, duration and the
 * request's `x-correlation-id`, scrubbed like every logged text, or a made-up `req-<uuid>` when it has
 * none or a malformed one). No body, no header, no query string.
 *
 * It does not run the request in `OtpRequestContext`: the library's lines name the callback's
 * correlation id themselves, and on Node 20 an `AsyncLocalStorage` costs every request of the
 * process about a sixth of its throughput (BENCHMARKS.md). An issuer whose own code logs within a
 * request and wants the id there can wrap `next` in `OtpRequestContext.run(correlationId, next)`.
 */
export function accessLogMiddleware(log: AccessLog) {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const header = request.headers['x-correlation-id'];
    // Scrubbed like the library's ids: a phone number, PAN or email in it is masked.
    const correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? redactText(header) : `req-${randomUUID()}`;
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const answered = response.writableFinished;
      log(
        {
          correlationId,
          method: request.method,
          route: typeof request.route?.path === 'string' ? request.route.path : '(no route)',
          // No status for an aborted request: the one Express holds was never sent.
          status: answered ? response.statusCode : undefined,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        },
        answered ? 'request answered' : 'request aborted before the answer was sent',
      );
    });
    next();
  };
}
