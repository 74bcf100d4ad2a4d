export { OtpDeliveryService } from './otp-delivery.service.js';
export { OtpDeliveryEvents, type OtpStatusReport } from './otp-delivery.events.js';
export { OtpDeliveryError, type OtpDeliveryAttempt, type OtpDeliveryFailure } from './otp-delivery.error.js';
export type { OtpDeliveryEvent } from './otp-delivery-event.interface.js';
export type { OtpDeliveryReceipt } from './otp-delivery-receipt.interface.js';
export type { OtpDeliveryContext, OtpDeliveryRequest } from './otp-delivery-request.interface.js';
export { deliveryProviders } from './delivery.providers.js';
