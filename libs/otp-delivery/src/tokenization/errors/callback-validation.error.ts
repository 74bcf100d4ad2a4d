/**
 * A callback request field or header is missing (Thales `111`) or malformed (`112`).
 * The message names the field, never its value.
 */
export class CallbackValidationError extends Error {
  override readonly name = 'CallbackValidationError';
  /** Thales response code: 111 missing mandatory parameter, 112 bad parameter format. */
  readonly responseCode: 111 | 112;

  constructor(
    /** The field or header, e.g. `otpValue`, `tokenRequestor.id`, `x-correlation-id`. */
    readonly field: string,
    readonly kind: 'missing' | 'format',
  ) {
    super(kind === 'missing' ? `Missing mandatory parameter: ${field}` : `Invalid parameter format: ${field}`);
    this.responseCode = kind === 'missing' ? 111 : 112;
  }
}
