import { Module } from '@nestjs/common';
import { RequestCardDigitizationController } from './request-card-digitization.controller.js';

/**
 * The sample issuer's `requestCardDigitization`. Needs `OtpDeliveryModule` registered with
 * `isGlobal: true`, or imported next to it, for `IdvMethodsService` and the guards' options.
 */
@Module({ controllers: [RequestCardDigitizationController] })
export class DigitizationModule {}
