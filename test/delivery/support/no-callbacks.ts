import type { OtpCallbackRoutes } from 'nestjs-otp-delivery';

/**
 * These suites test delivery, not the tokenization callbacks: the callback controllers (which
 * need an issuer id, a contact resolver and a webhook secret) are not mounted.
 */
export const NO_CALLBACKS: OtpCallbackRoutes = { classic: false, d1: false, statusReports: false };
