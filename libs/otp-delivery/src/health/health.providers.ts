import type { Provider } from '@nestjs/common';
import { OtpDeliveryHealthIndicator } from './otp-delivery.health.js';

/** The health providers registered by the core module (nothing from `@nestjs/terminus`: the app imports `TerminusModule`). */
export const healthProviders: Provider[] = [OtpDeliveryHealthIndicator];
