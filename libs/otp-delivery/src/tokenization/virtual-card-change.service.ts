import { Inject, Injectable, Optional } from '@nestjs/common';
import { OtpLogger } from '../logging/otp-logger.js';
import { SecretValue } from '../common/secret-value.js';
import { IDEMPOTENCY_PREFIX } from './tokenization.constants.js';
import { CallbackIdempotency } from './callback-idempotency.service.js';
import { EndedEnrolments } from './ended-enrolments.service.js';
import { OtpTokenizationEvents } from './otp-tokenization.events.js';
import { VirtualCardChangeHandler, type VirtualCardChangeEvent } from './virtual-card-change.event.js';
import type { NotifyVirtualCardChangeDto } from './dto/notify-virtual-card-change.dto.js';
import type { CallbackOutcome } from './callback-error-response.js';

/** Actions that end the enrolment: pending OTP deliveries of the session stop. */
const ENDING_ACTIONS = new Set(['DELETE', 'DELETE_FROM_APP']);

/**
 * Classic `notifyVirtualCardChange`: one event per distinct notification (the platform may repeat
 * or delay it), the issuer's handler, and on `DELETE` the end of the enrolment's deliveries, on
 * every replica (`EndedEnrolments`).
 */
@Injectable()
export class VirtualCardChangeService {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  constructor(
    private readonly idempotency: CallbackIdempotency,
    private readonly events: OtpTokenizationEvents,
    private readonly enrolments: EndedEnrolments,
    @Optional() @Inject(VirtualCardChangeHandler) private readonly handler?: VirtualCardChangeHandler,
  ) {}

  /** Processes a notification once; a repeat answers the same and publishes nothing. */
  async notify(correlationId: string, given: NotifyVirtualCardChangeDto): Promise<CallbackOutcome> {
    // Thales writes actions in upper case; one sent in another case is the same action, published as
    // Thales writes it (the body allows ASCII only, so upper-casing folds nothing else into it).
    const body = { ...given, action: given.action.toUpperCase() };
    const key = this.idempotency.key(IDEMPOTENCY_PREFIX.virtualCardChange, [
      correlationId, body.issuerCardRefId, body.virtualCardId, body.tokenStorageId, body.walletProviderId, body.action,
      String(body.isPrimary), body.errorCode === undefined ? undefined : String(body.errorCode),
    ]);
    const ending = ENDING_ACTIONS.has(body.action);
    // This replica's deliveries stop before anything reaches the store: a store that is down (or full)
    // fails the claim below with 921, and the platform's retry would come after the SMS went out.
    if (ending) this.enrolments.endHere(correlationId);
    return this.idempotency.run(key, async () => {
      const event = toEvent(correlationId, body);
      // Before the handler: a store that cannot take the mark answers 921 with nothing published, and
      // the platform's retry marks it and publishes once.
      if (ending) await this.enrolments.end(correlationId);
      // The handler runs first: if it fails, the key is released and nothing was published, so the
      // platform's retry (921) delivers the change once more.
      await this.handler?.handle(event);
      this.events.emitVirtualCardChange(event);
      this.logger.log('Virtual card change', { correlationId, action: event.action, virtualCardId: event.virtualCardId, walletProviderId: event.walletProviderId });
      return { status: 200, body: {} };
    }, { callback: 'notifyVirtualCardChange', correlationId });
  }
}

function toEvent(correlationId: string, body: NotifyVirtualCardChangeDto): VirtualCardChangeEvent {
  return {
    action: body.action,
    issuerCardRefId: body.issuerCardRefId,
    virtualCardId: body.virtualCardId,
    walletProviderId: body.walletProviderId,
    tokenStorageId: body.tokenStorageId,
    isPrimary: body.isPrimary,
    source: body.source,
    correlationId,
    walletCardRefId: body.walletCardRefId,
    walletVirtualCardId: body.walletVirtualCardId,
    primaryWalletVirtualCardId: body.primaryWalletVirtualCardId,
    errorCode: body.errorCode === undefined ? undefined : String(body.errorCode),
    tokenInfo: body.tokenInfo === undefined ? undefined : new SecretValue(JSON.stringify(body.tokenInfo)),
    receivedAt: new Date(),
  };
}
