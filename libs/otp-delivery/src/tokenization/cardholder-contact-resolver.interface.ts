/** What the issuer knows about the cardholder behind a card or a D1 consumer. Verified data only. */
export interface CardholderContact {
  /** Mobile phone in any format `libphonenumber-js` parses (preferably E.164). */
  readonly phoneNumber?: string;
  /** Email address. */
  readonly email?: string;
  /** BCP 47 locale, e.g. `ja-JP`, `en-US`; picks the templates. */
  readonly locale?: string;
  /** Last four PAN digits (a longer value is cut to four). */
  readonly panLastFour?: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly lastName?: string;
}

/**
 * The issuer's lookup of cardholder contacts. The module has no built-in: the issuer provides a
 * class under this token (`extraProviders`), DI-resolved so it can inject its own services.
 */
export interface CardholderContactResolver {
  /** Contact for a classic `issuerCardRefId`; null when the card is unknown. */
  resolveByCard(issuerCardRefId: string): Promise<CardholderContact | null>;
  /** Contact for a D1 consumer (optionally a card of theirs); null when unknown. */
  resolveByConsumer(consumerId: string, cardId?: string): Promise<CardholderContact | null>;
}

/** DI token of the resolver. */
export const CardholderContactResolver = Symbol('CardholderContactResolver');
