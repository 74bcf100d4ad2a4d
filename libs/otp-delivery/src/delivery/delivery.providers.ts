import type { Provider } from '@nestjs/common';
import { OtpDeliveryEvents } from './otp-delivery.events.js';
import { OtpDeliveryService } from './otp-delivery.service.js';

/** The delivery service and its event stream. */
export const deliveryProviders: Provider[] = [OtpDeliveryEvents, OtpDeliveryService];
