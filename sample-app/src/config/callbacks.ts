import type { OtpCallbackRoutes } from 'nestjs-otp-delivery';

/** The sample issuer serves every tokenization callback at its default path. */
export const CALLBACKS: OtpCallbackRoutes = { classic: true, d1: true, statusReports: true };
