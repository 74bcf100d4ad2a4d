import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { VirtualCardChangeEvent } from './virtual-card-change.event.js';

/**
 * Streams of what the tokenization callbacks received.
 *
 * @example
 * events.virtualCardChanges$.pipe(filter((e) => e.action === 'ACTIVATE')).subscribe((e) => ...);
 */
@Injectable()
export class OtpTokenizationEvents implements OnModuleDestroy {
  readonly #virtualCardChanges = new Subject<VirtualCardChangeEvent>();

  /** One event per distinct `notifyVirtualCardChange` (duplicates are not re-published). */
  readonly virtualCardChanges$: Observable<VirtualCardChangeEvent> = this.#virtualCardChanges.asObservable();

  /** Publishes a change; used by the callback, and by issuers replaying changes in tests. */
  emitVirtualCardChange(event: VirtualCardChangeEvent): void {
    this.#virtualCardChanges.next(event);
  }

  onModuleDestroy(): void {
    this.#virtualCardChanges.complete();
  }
}
