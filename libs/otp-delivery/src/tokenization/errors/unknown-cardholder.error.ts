/** The contact resolver does not know the D1 consumer (or card). Answered with HTTP 404. */
export class UnknownCardholderError extends Error {
  override readonly name = 'UnknownCardholderError';

  constructor(readonly field: 'consumerId' | 'issuerCardRefId') {
    super(`${field} does not identify a known cardholder`);
  }
}
