/**
 * The caller is not the tokenization platform: no verified client certificate (401), or it
 * names another issuer (403). Nothing is processed or sent.
 */
export class CallerRefusedError extends Error {
  override readonly name = 'CallerRefusedError';

  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}
