import { Injectable, Optional } from '@nestjs/common';
import { OtpMetrics } from '../metrics/otp-metrics.service.js';
import type { CallbackOutcome } from './callback-error-response.js';
import { applyStatus, type StatusSetter } from './apply-status.js';

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

  /** Counts one answer. */
  record(callback: string, status: number, body?: unknown): void {
    const responseCode = (body as { responseCode?: unknown } | undefined)?.responseCode;
    this.metrics?.recordCallbackAnswer(callback, status, typeof responseCode === 'number' ? responseCode : undefined);
  }
}
