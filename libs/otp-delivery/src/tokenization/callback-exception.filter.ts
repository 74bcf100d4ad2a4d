import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { OtpLogger } from '../logging/otp-logger.js';
import { toCallbackErrorResponse } from './callback-error-response.js';

/**
 * Answers the callback controllers' errors with the Thales body instead of Nest's default.
 * Scoped to the callback controllers (`@UseFilters`), never global.
 */
@Catch()
export class CallbackExceptionFilter implements ExceptionFilter {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = toCallbackErrorResponse(exception);
    if (response.unexpected) {
      // Only the error's class: a message from an issuer's resolver may carry personal data.
      this.logger.error('Unexpected error in a tokenization callback', { errorName: exception instanceof Error ? exception.name : typeof exception });
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
