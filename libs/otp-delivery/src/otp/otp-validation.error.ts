/**
 * An OTP request breaks a rule (code length, expiry, destination, ...); thrown before anything is
 * generated or sent. `CmValidationError` extends it, so one `instanceof` covers every engine.
 */
export class OtpValidationError extends Error {
  override readonly name: string = 'OtpValidationError';

  constructor(
    /** The input field, e.g. `digits`, `to`. */
    readonly field: string,
    /** The rule it breaks, without the value. */
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}
