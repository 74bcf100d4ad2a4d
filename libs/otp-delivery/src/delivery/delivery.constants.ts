/** DI token of the resolved delivery options (`ResolvedDeliveryOptions`), derived once from the validated options. */
export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

/**
 * Longest validity a delivery may announce (`context.expiresInSeconds`): a day, far beyond any
 * OTP's. The templates' boot check sizes `{{expiryMinutes}}` with it.
 */
export const MAX_EXPIRES_IN_SECONDS = 86_400;

/**
 * How long an ended enrolment refuses new deliveries: ten minutes, as long as the platform's
 * delayed or retried callbacks of one step-up come (a code lives minutes). Both this replica's
 * record (`OtpDeliveryService.cancelEnrolment`) and the store's mark every replica reads live this long.
 */
export const ENDED_ENROLMENT_MS = 600_000;
