import type { Provider } from '@nestjs/common';
import { OtpMetrics } from './otp-metrics.service.js';

/** The metrics providers registered by the core module. */
export const metricsProviders: Provider[] = [OtpMetrics];
