import { Inject, Injectable } from '@nestjs/common';
import { OtpStore } from '../store/otp-store.interface.js';
import { OtpDeliveryService } from '../delivery/otp-delivery.service.js';
import { ENDED_ENROLMENT_MS } from '../delivery/delivery.constants.js';
import { CallbackIdempotency } from './callback-idempotency.service.js';
import { ENDED_ENROLMENT_PREFIX } from './tokenization.constants.js';

/** What the mark holds: only its presence is read. */
const MARK = '1';

/**
 * The end of an enrolment (the tokenization session a `DELETE` names by its correlation id), on
 * every replica: the replica that receives the `DELETE` stops its own pending deliveries at once
 * (`OtpDeliveryService.cancelEnrolment`), and a mark in the `OtpStore` (`markKey`, ten minutes)
 * lets the late sends of the enrolment on any replica find it in their claim's store step, so they
 * are refused with nothing sent or counted. Deliveries already in flight on another replica are not
 * reached: they end within `delivery.deadlineMs`.
 */
@Injectable()
export class EndedEnrolments {
  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    private readonly idempotency: CallbackIdempotency,
    private readonly delivery: OtpDeliveryService,
  ) {}

  /** The store key of an enrolment's mark: a keyed digest, as the idempotency keys (the id is the caller's text). */
  markKey(enrolmentId: string): string {
    return this.idempotency.key(ENDED_ENROLMENT_PREFIX, [enrolmentId]);
  }

  /**
   * Ends an enrolment: on this replica first, so a store that fails takes nothing from it, then for
   * every replica. Throws the store's failure (`StoreUnavailableError`: the callback answers 921
   * and the platform's retry marks it again).
   */
  async end(enrolmentId: string): Promise<void> {
    this.delivery.cancelEnrolment(enrolmentId);
    await this.store.set(this.markKey(enrolmentId), MARK, ENDED_ENROLMENT_MS);
  }

  /**
   * Whether a replica ended the enrolment within the last ten minutes: this one's record, else the
   * mark (one store read). For the sends that are not claimed with the mark's check (`markKey`).
   */
  async ended(enrolmentId: string): Promise<boolean> {
    return this.delivery.enrolmentEnded(enrolmentId) || (await this.store.get(this.markKey(enrolmentId))) !== null;
  }
}
