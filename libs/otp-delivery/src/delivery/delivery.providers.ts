import type { Provider } from '@nestjs/common';
import { OtpTemplateRenderer } from '../templates/otp-template-renderer.service.js';
import { OtpDeliveryEvents } from './otp-delivery.events.js';
import { OtpDeliveryService } from './otp-delivery.service.js';

/** The template renderer, the delivery service and its event stream. */
export const deliveryProviders: Provider[] = [OtpTemplateRenderer, OtpDeliveryEvents, OtpDeliveryService];
