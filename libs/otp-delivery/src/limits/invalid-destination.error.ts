/**
 * A destination is not usable on its channel: not a phone number an SMS can reach, not one plain
 * email address. Nothing was counted or sent. The message names the rule, never the destination.
 */
export class InvalidDestinationError extends Error {
  override readonly name = 'InvalidDestinationError';

  constructor(
    /** What the channel needs: `phone` or `email`. */
    readonly kind: 'phone' | 'email',
    /** Why it was refused, without the destination itself. */
    readonly reason: string,
  ) {
    super(`destination ${reason}`);
  }
}
