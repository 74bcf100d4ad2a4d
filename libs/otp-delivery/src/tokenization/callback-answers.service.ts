import { Injectable, Optional } from '@nestjs/common';
import { OtpMetrics } from '../metrics/otp-metrics.service.js';
import type { CallbackOutcome } from './callback-error-response.js';
import { applyStatus, type StatusSetter } from './apply-status.js';
import { traced } from '../tracing/otp-tracing.js';

/**
 * Where every answer of a callback goes out: its status is set on the response and it is counted
 * (`callback_answers_total{callback,status,response_code}`), successes here, errors in
 * `CallbackExceptionFilter`, so 921s and refusals are counted like the rest.
 */
@Injectable()
export class CallbackAnswers {
  constructor(@Optional() private readonly metrics?: OtpMetrics) {}

  /** Sets the (possibly replayed) outcome's status, counts it, and answers its body. */
  reply(callback: string, res: StatusSetter, outcome: CallbackOutcome): unknown {
    this.record(callback, outcome.status, outcome.body);
    return applyStatus(res, outcome);
  }

  /**
   * Runs a callback's work in a span (`otp.callback <name>`, a child of the platform's
   * `traceparent` when it sends one) carrying the callback, the status and the responseCode: no
   * code, token or personal data. Free when no OpenTelemetry SDK is registered.
   */
  trace(callback: string, headers: Readonly<Record<string, string | string[] | undefined>>, work: () => Promise<CallbackOutcome>): Promise<CallbackOutcome> {
    return traced(`otp.callback ${callback}`, { kind: 'server', carrier: headers, attributes: { 'otp.callback': callback } }, async (span) => {
      const outcome = await work();
      span.setAttribute('http.response.status_code', outcome.status);
      const responseCode = (outcome.body as { responseCode?: unknown } | undefined)?.responseCode;
      if (typeof responseCode === 'number') span.setAttribute('otp.response_code', responseCode);
      return outcome;
    });
  }

  /** Counts one answer. */
  record(callback: string, status: number, body?: unknown): void {
    const responseCode = (body as { responseCode?: unknown } | undefined)?.responseCode;
    this.metrics?.recordCallbackAnswer(callback, status, typeof responseCode === 'number' ? responseCode : undefined);
  }
}
