/**
 * `otpMethodId` does not belong to the card (unknown id, another card's id, an id minted for a
 * contact that has since changed, or a card the resolver does not know). Answered as Thales `501`.
 */
export class UnknownOtpMethodError extends Error {
  override readonly name = 'UnknownOtpMethodError';

  constructor() {
    super('otpMethodId is not a method of this card');
  }
}
