import { Catch, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { OtpLogger } from '../logging/otp-logger.js';
import { LogThrottle } from '../logging/log-throttle.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { OtpSendRefusedError } from '../limits/otp-send-refused.error.js';
import { toCallbackErrorResponse } from './callback-error-response.js';
import { CallbackAnswers } from './callback-answers.service.js';
import { callbackOf } from './callback-name.decorator.js';
import { correlationIdOf } from './guards/callback-headers.guard.js';

/**
 * A store outage answers every callback 921 until the store is back: one line a minute says so
 * (with how many were not logged), not one per request. Per process, whichever controller saw it.
 */
const storeOutageLogs = new LogThrottle(60_000);

function isStoreOutage(exception: unknown): boolean {
  return exception instanceof StoreUnavailableError || (exception instanceof OtpSendRefusedError && exception.reason === 'store-unavailable');
}

/**
 * Answers the callback controllers' errors with the Thales body instead of Nest's default.
 * Scoped to the callback controllers (`@UseFilters`), never global.
 */
@Catch()
export class CallbackExceptionFilter implements ExceptionFilter {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  constructor(@Optional() private readonly answers?: CallbackAnswers) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = toCallbackErrorResponse(exception);
    const request = host.switchToHttp().getRequest<object>();
    this.answers?.record(callbackOf(request), response.status, response.body);
    if (response.unexpected && isStoreOutage(exception)) {
      if (storeOutageLogs.tryPass()) {
        this.logger.error('OTP store unavailable: tokenization callbacks answer 921 (retryable) until it is back', {
          correlationId: correlationIdOf(request),
          answersNotLogged: storeOutageLogs.suppressed,
        });
      }
    } else if (response.unexpected) {
      // Only the error's class: a message from an issuer's resolver may carry personal data.
      this.logger.error('Unexpected error in a tokenization callback', {
        correlationId: correlationIdOf(request),
        errorName: exception instanceof Error ? exception.name : typeof exception,
      });
    }
    sendJson(host.switchToHttp().getResponse(), response.status, response.body);
  }
}

/** Writes a JSON answer on Express or Fastify. */
export function sendJson(reply: unknown, status: number, body: unknown): void {
  const res = reply as {
    status?: (code: number) => unknown;
    code?: (code: number) => unknown;
    header?: (name: string, value: string) => unknown;
    setHeader?: (name: string, value: string) => unknown;
    send: (payload?: unknown) => unknown;
    end?: () => unknown;
  };
  if (typeof res.code === 'function') res.code(status);
  else res.status!(status);
  if (body === undefined) {
    if (typeof res.end === 'function' && typeof res.code !== 'function') res.end();
    else res.send();
    return;
  }
  const json = JSON.stringify(body);
  if (typeof res.header === 'function') res.header('content-type', 'application/json; charset=utf-8');
  else res.setHeader!('content-type', 'application/json; charset=utf-8');
  res.send(json);
}
