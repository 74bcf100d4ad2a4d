/**
 * The module options are invalid. Thrown once at startup with every problem found, so an app
 * refuses to boot with one message instead of failing on the first key. Messages name the key and
 * the rule, never the value (a key may hold a secret).
 */
export class OtpDeliveryConfigError extends Error {
  override readonly name = 'OtpDeliveryConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid OtpDeliveryModule options (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
