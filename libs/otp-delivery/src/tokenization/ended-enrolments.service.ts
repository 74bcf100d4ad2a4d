import { Inject, Injectable } from '@nestjs/common';
import { OtpStore } from '../store/otp-store.interface.js';
import { OtpDeliveryService } from '../delivery/otp-delivery.service.js';
import { ENDED_ENROLMENT_MS } from '../delivery/delivery.constants.js';
import { keyedNamer } from '../common/keyed-digest.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { ENDED_ENROLMENT_PREFIX, TOKENIZATION_OPTIONS } from './tokenization.constants.js';

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
  /** Names a mark, keyed with the idempotency key: every callback send makes one, so a one-pass keyed hash (`keyedNamer`, as the limits name their counters), not an HMAC. */
  readonly #name: (enrolmentId: string) => string;

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(TOKENIZATION_OPTIONS) options: ResolvedTokenizationOptions,
    private readonly delivery: OtpDeliveryService,
  ) {
    this.#name = keyedNamer(options.keys.idempotency);
  }

  /** The store key of an enrolment's mark: keyed with the idempotency key (the id is the caller's text). */
  markKey(enrolmentId: string): string {
    return ENDED_ENROLMENT_PREFIX + this.#name(enrolmentId);
  }

  /** Ends an enrolment on this replica only (its pending deliveries stop; it refuses the enrolment's sends for ten minutes), with no store involved. */
  endHere(enrolmentId: string): void {
    this.delivery.cancelEnrolment(enrolmentId);
  }

  /**
   * Ends an enrolment: on this replica first, so a store that fails takes nothing from it, then for
   * every replica. Throws the store's failure (`StoreUnavailableError`: the callback answers 921
   * and the platform's retry marks it again).
   */
  async end(enrolmentId: string): Promise<void> {
    this.endHere(enrolmentId);
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
