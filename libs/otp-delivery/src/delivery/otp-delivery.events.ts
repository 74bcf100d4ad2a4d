import { Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { OtpDeliveryEvent } from './otp-delivery-event.interface.js';
import { CmStatusReports } from '../cm/cm-status-reports.service.js';
import type { CmDeliveryReceipt } from '../cm/cm-delivery-receipt.js';
import { guardSubscribers } from '../common/guarded-observable.js';
import { OtpLogger } from '../logging/otp-logger.js';

/** What a delivery status report must say to become an event: CM.com's normalised receipt. */
export type OtpStatusReport = CmDeliveryReceipt;

/** Deliveries remembered for status reports; the oldest are forgotten first. */
const RECENT_DELIVERIES = 10_000;

/**
 * The stream of delivery events: what `OtpDeliveryService` does (requested, sent, failed) and what
 * CM.com's status reports say afterwards (delivered, undelivered). Events carry masked
 * destinations and never the code. Subscribe for metrics, audit logs or a push to the cardholder's app.
 * A subscriber that throws is logged (its error class only) and affects no one else: the process,
 * the other subscribers and its own later events are unaffected. The stream completes when the app
 * has shut down (`onApplicationShutdown`), after the HTTP server drained: events of requests still
 * in flight when `app.close()` starts are published.
 *
 * @example
 * events.events$.pipe(filter((e) => e.type === 'failed')).subscribe((e) => alert(e.reason));
 */
@Injectable()
export class OtpDeliveryEvents implements OnApplicationShutdown {
  readonly #subject = new Subject<OtpDeliveryEvent>();
  /**
   * The remembered deliveries, in the slots of a ring (the oldest is forgotten by its slot: taking
   * a Map's first key instead walks over every entry deleted before it, on each send), as three
   * arrays rather than an object per delivery: 10,000 deliveries take about 0.3 MiB less of the
   * heap that way, and a long-lived heap costs several times its size in RSS (BENCHMARKS.md, "Memory").
   */
  readonly #slotOf = new Map<string, number>();
  readonly #ids = new Array<string | undefined>(RECENT_DELIVERIES);
  readonly #channels = new Array<string | undefined>(RECENT_DELIVERIES);
  readonly #correlationIds = new Array<string | undefined>(RECENT_DELIVERIES);
  #next = 0;
  readonly #subscriptions: Subscription[] = [];

  /** Every delivery event, as it happens (hot: no replay). */
  readonly events$: Observable<OtpDeliveryEvent> = guardSubscribers(this.#subject, new OtpLogger(OtpDeliveryEvents.name), 'OtpDeliveryEvents.events$');

  /** @internal With CM.com's status reports (registered by the module), their receipts become events too. */
  constructor(@Optional() statusReports?: CmStatusReports) {
    if (statusReports) this.connectStatusReports(statusReports.receipts$);
  }

  /**
   * @internal Publishes one event, frozen so a subscriber cannot change what the next one sees.
   * The event is frozen as given, not copied: callers hand over an object of their own.
   */
  emit(event: OtpDeliveryEvent): void {
    if (event.type === 'requested') this.#remember(event.deliveryId, event.channel, event.correlationId);
    this.#subject.next(Object.freeze(event));
  }

  /**
   * @internal
   * Turns status reports into `delivered` / `undelivered` events, by `reference` = delivery id
   * (`accepted`, an intermediate state, is not an event). Reports about deliveries this process
   * did not send (another replica's) still become events, without a correlation id.
   */
  connectStatusReports(reports$: Observable<OtpStatusReport>): void {
    this.#subscriptions.push(
      reports$.subscribe((report) => {
        if (report.status === 'accepted') return;
        const slot = this.#slotOf.get(report.reference);
        const failed = report.status !== 'delivered';
        this.#subject.next(
          Object.freeze({
            type: failed ? 'undelivered' : 'delivered',
            deliveryId: report.reference,
            channel: (slot === undefined ? undefined : this.#channels[slot]) ?? 'sms',
            destinationMasked: report.destinationMasked,
            correlationId: slot === undefined ? undefined : this.#correlationIds[slot],
            reason: failed ? describeFailure(report) : undefined,
            at: report.receivedAt,
          } satisfies OtpDeliveryEvent),
        );
      }),
    );
  }

  /** Not `onModuleDestroy`: Nest runs that before the HTTP server drains, and reports still arrive then. */
  onApplicationShutdown(): void {
    this.#subscriptions.forEach((subscription) => subscription.unsubscribe());
    this.#subject.complete();
  }

  #remember(deliveryId: string, channel: string, correlationId: string | undefined): void {
    const slot = this.#next;
    const oldest = this.#ids[slot];
    // A delivery id seen again (never from createDeliveryId) moves to the newest slot.
    const previous = this.#slotOf.get(deliveryId);
    if (previous !== undefined) this.#ids[previous] = undefined;
    if (oldest !== undefined && oldest !== deliveryId) this.#slotOf.delete(oldest);
    this.#ids[slot] = deliveryId;
    this.#channels[slot] = channel;
    this.#correlationIds[slot] = correlationId;
    this.#slotOf.set(deliveryId, slot);
    this.#next = (slot + 1) % RECENT_DELIVERIES;
  }
}

function describeFailure(report: OtpStatusReport): string {
  const code = report.cmErrorCode === undefined ? '' : ` ${report.cmErrorCode}`;
  const description = report.cmErrorDescription ? `: ${report.cmErrorDescription}` : '';
  return `cm-${report.status}${code}${description}`;
}
