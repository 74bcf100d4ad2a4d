import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { CmDeliveryReceipt } from './cm-delivery-receipt.js';
import { parseCmStatusReport } from './cm-status-report.parser.js';
import { guardSubscribers } from '../common/guarded-observable.js';
import { OtpLogger } from '../logging/otp-logger.js';

/**
 * CM status reports (delivery receipts): parse what CM posts into `CmDeliveryReceipt`s and publish
 * them on `receipts$`. The HTTP endpoint that receives them lives with the tokenization callbacks.
 * A subscriber that throws is logged (error class only) and affects no other subscriber; the stream
 * completes at `onApplicationShutdown`, once the HTTP server has drained.
 *
 * @example
 * statusReports.receipts$.subscribe((receipt) => metrics.count(receipt.status));
 */
@Injectable()
export class CmStatusReports implements OnApplicationShutdown {
  readonly #receipts = new Subject<CmDeliveryReceipt>();

  /** Every published receipt, as it is published (hot: subscribe before reports arrive). */
  readonly receipts$: Observable<CmDeliveryReceipt> = guardSubscribers(this.#receipts, new OtpLogger(CmStatusReports.name), 'CmStatusReports.receipts$');

  /**
   * Reads a report body: JSON (object or text) or XML text, `msg` as object or array.
   * Throws `CmStatusReportError` only when the body is unreadable as a whole, or past the limits that
   * keep its work small: 16 KiB, 32 levels deep, 1,000 elements or values, no DTD.
   * @internal The status-report endpoint's step.
   */
  parse(body: unknown, contentType?: string): CmDeliveryReceipt[] {
    return parseCmStatusReport(body, contentType);
  }

  /** @internal Emits each receipt on `receipts$` (the status-report endpoint does). */
  publish(receipts: readonly CmDeliveryReceipt[]): void {
    for (const receipt of receipts) this.#receipts.next(receipt);
  }

  /** Not `onModuleDestroy`: Nest runs that before the HTTP server drains, and reports still arrive then. */
  onApplicationShutdown(): void {
    this.#receipts.complete();
  }
}
