import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { VirtualCardChangeEvent } from './virtual-card-change.event.js';
import { guardSubscribers } from '../common/guarded-observable.js';
import { OtpLogger } from '../logging/otp-logger.js';

/**
 * Streams of what the tokenization callbacks received. A subscriber that throws is logged (error
 * class only) and affects no other subscriber; the streams complete at `onApplicationShutdown`, once
 * the HTTP server has drained.
 *
 * @example
 * events.virtualCardChanges$.pipe(filter((e) => e.action === 'ACTIVATE')).subscribe((e) => ...);
 */
@Injectable()
export class OtpTokenizationEvents implements OnApplicationShutdown {
  readonly #virtualCardChanges = new Subject<VirtualCardChangeEvent>();

  /** One event per distinct `notifyVirtualCardChange` (duplicates are not re-published). */
  readonly virtualCardChanges$: Observable<VirtualCardChangeEvent> = guardSubscribers(
    this.#virtualCardChanges,
    new OtpLogger(OtpTokenizationEvents.name),
    'OtpTokenizationEvents.virtualCardChanges$',
  );

  /** Publishes a change; used by the callback, and by issuers replaying changes in tests. */
  emitVirtualCardChange(event: VirtualCardChangeEvent): void {
    this.#virtualCardChanges.next(event);
  }

  /** Not `onModuleDestroy`: Nest runs that before the HTTP server drains, and callbacks still arrive then. */
  onApplicationShutdown(): void {
    this.#virtualCardChanges.complete();
  }
}
