import type { SecretValue } from '../common/secret-value.js';
import type { VirtualCardAction } from './dto/notify-virtual-card-change.dto.js';

/** A `notifyVirtualCardChange` the issuer should act on (published once per distinct notification). */
export interface VirtualCardChangeEvent {
  /** `ACTIVATE`, `SUSPEND`, `RESUME`, `DELETE`, `DELETE_FROM_APP`, or a newer action. */
  readonly action: VirtualCardAction;
  readonly issuerCardRefId: string;
  readonly virtualCardId: string;
  readonly walletProviderId: string;
  readonly tokenStorageId: string;
  readonly isPrimary: boolean;
  /** `WALLET`, `TSP`, `ISSUER`, when given. */
  readonly source?: string;
  /** `x-correlation-id` of the call: the enrolment session. */
  readonly correlationId: string;
  readonly walletCardRefId?: string;
  readonly walletVirtualCardId?: string;
  readonly primaryWalletVirtualCardId?: string;
  /** e.g. `221`: device not reachable after retries. */
  readonly errorCode?: string;
  /**
   * `tokenInfo` as JSON, opaque (it carries the DPAN, possibly encrypted): a `SecretValue`, so it
   * prints as `[redacted]` anywhere; `reveal()` it only where it is stored or decrypted.
   */
  readonly tokenInfo?: SecretValue;
  readonly receivedAt: Date;
}

/**
 * The issuer's handler of virtual card changes, called before the answer is sent: if it throws,
 * the callback answers 921 and the platform's retry delivers the change again.
 *
 * @example
 * extraProviders: [{ provide: VirtualCardChangeHandler, useClass: MyTokenLifecycle }]
 */
export interface VirtualCardChangeHandler {
  handle(event: VirtualCardChangeEvent): Promise<void> | void;
}

/** DI token of the optional `VirtualCardChangeHandler`. */
export const VirtualCardChangeHandler = Symbol('VirtualCardChangeHandler');
