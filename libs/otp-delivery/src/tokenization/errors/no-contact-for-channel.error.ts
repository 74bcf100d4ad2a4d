/** The cardholder has no usable destination on the requested channel (D1). Answered as Thales `911`. */
export class NoContactForChannelError extends Error {
  override readonly name = 'NoContactForChannelError';

  constructor(readonly channel: string) {
    super(`The cardholder has no usable ${channel} destination`);
  }
}
