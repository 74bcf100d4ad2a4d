/** DI token of the resolved delivery options (`ResolvedDeliveryOptions`), derived once from the validated options. */
export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

/**
 * Longest validity a delivery may announce (`context.expiresInSeconds`): a day, far beyond any
 * OTP's. The templates' boot check sizes `{{expiryMinutes}}` with it.
 */
export const MAX_EXPIRES_IN_SECONDS = 86_400;
