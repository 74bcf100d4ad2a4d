/** DI token of the resolved tokenization options (`ResolvedTokenizationOptions`), derived once from the validated options. */
export const TOKENIZATION_OPTIONS = Symbol('TOKENIZATION_OPTIONS');

/** DI token of the mounted callback routes (`ResolvedCallbackRoutes`). */
export const CALLBACK_ROUTES = Symbol('CALLBACK_ROUTES');

/**
 * DI token of the guard that authenticates the tokenization platform on the classic and D1
 * callbacks. The default is `TokenizationCallerGuard`; replace it through `extraProviders`:
 * `{ provide: OTP_CALLER_GUARD, useClass: MyCallerGuard }` (any `CanActivate`).
 */
export const OTP_CALLER_GUARD = Symbol('OTP_CALLER_GUARD');

/** Header CM.com must send with status reports (set as a custom header in CM's portal). */
export const STATUS_REPORT_SECRET_HEADER = 'x-status-report-secret';

/** D1's path of a consumer on the issuer, under the `d1` mount point: its calls add nothing or `/otp`. */
export const D1_CONSUMER_ROUTE = 'banking/d1/v1/issuers/:issuerId/consumers/:consumerId';

/** Store key prefixes of the callbacks' idempotency records. */
export const IDEMPOTENCY_PREFIX = {
  sendOtp: 'tok:send:',
  virtualCardChange: 'tok:vcc:',
  statusReport: 'tok:sr:',
} as const;

/** Store key prefix of the mark a `DELETE` leaves on its enrolment, read by every replica's sends. */
export const ENDED_ENROLMENT_PREFIX = 'tok:ended:';
