import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { CmDeliveryReceipt } from './cm-delivery-receipt.js';
import { parseCmStatusReport } from './cm-status-report.parser.js';
import type { ResolvedCmOptions } from './cm-options.js';
import { CM_OPTIONS } from './cm.constants.js';
import type { SecretValue } from '../common/secret-value.js';
import { guardSubscribers } from '../common/guarded-observable.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { LogThrottle } from '../logging/log-throttle.js';

/** At most one warning a minute about entries skipped for an unknown status code. */
const UNKNOWN_STATUS_WARNING_INTERVAL_MS = 60_000;

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
  /** Scrubbed from CM's error descriptions, which may echo what was sent. */
  readonly #productToken?: SecretValue;
  readonly #logger = new OtpLogger(CmStatusReports.name);
  readonly #unknownStatusWarnings = new LogThrottle(UNKNOWN_STATUS_WARNING_INTERVAL_MS);
  /**
   * CM's status codes are unconfirmed: an entry of ours with a code outside 0 to 3 is skipped (the
   * report is still acknowledged, or CM would resend it for days), and said, so a code CM added
   * shows in the logs instead of vanishing.
   */
  readonly #onUnknownStatus = (cmStatusCode: number | undefined): void => {
    if (!this.#unknownStatusWarnings.tryPass()) return;
    this.#logger.warn('CM status report entry skipped: unknown or missing status code', {
      // A small code as read; anything else (an attacker's long number) is not repeated.
      cmStatusCode: cmStatusCode === undefined ? 'missing' : Number.isSafeInteger(cmStatusCode) && Math.abs(cmStatusCode) < 1000 ? cmStatusCode : 'not a small integer',
      suppressed: this.#unknownStatusWarnings.suppressed,
    });
  };

  /** Every published receipt, as it is published (hot: subscribe before reports arrive). */
  readonly receipts$: Observable<CmDeliveryReceipt> = guardSubscribers(this.#receipts, this.#logger, 'CmStatusReports.receipts$');

  /** @internal Created by Nest's DI; without CM options (a test's `new CmStatusReports()`), only GUID-shaped text is masked. */
  constructor(@Optional() @Inject(CM_OPTIONS) cm?: Pick<ResolvedCmOptions, 'productToken'>) {
    this.#productToken = cm?.productToken;
  }

  /**
   * Reads a report body: JSON (object or text) or XML text, `msg` as object or array.
   * Throws `CmStatusReportError` only when the body is unreadable as a whole, or past the limits that
   * keep its work small: 16 KiB, 32 levels deep, 1,000 elements or values, no DTD. An entry with a
   * status code outside 0 to 3 is skipped and logged as a warning naming the code (once a minute).
   * @internal The status-report endpoint's step.
   */
  parse(body: unknown, contentType?: string): CmDeliveryReceipt[] {
    return parseCmStatusReport(body, contentType, new Date(), this.#productToken, this.#onUnknownStatus);
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
