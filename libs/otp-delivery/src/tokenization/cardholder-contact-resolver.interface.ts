/** What the issuer knows about the cardholder behind a card or a D1 consumer. Verified data only. */
export interface CardholderContact {
  /** Mobile phone in any format `libphonenumber-js` parses (preferably E.164). */
  readonly phoneNumber?: string;
  /** Email address. */
  readonly email?: string;
  /** BCP 47 locale, e.g. `ja-JP`, `en-US`; picks the templates. */
  readonly locale?: string;
  /**
   * Last four PAN digits (a longer value is cut to four) of the card being enrolled. Leave it unset
   * when that card is unknown (D1 naming no card of a consumer with several): a message naming
   * another card would defeat the check of its digits, and the shipped texts leave the card unnamed.
   */
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
  /** Contact for a D1 consumer (optionally a card of theirs); null when unknown. With no card named, `panLastFour` only if the consumer has one card. */
  resolveByConsumer(consumerId: string, cardId?: string): Promise<CardholderContact | null>;
}

/** DI token of the resolver. */
export const CardholderContactResolver = Symbol('CardholderContactResolver');
