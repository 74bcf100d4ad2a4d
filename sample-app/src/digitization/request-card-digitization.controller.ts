import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IdvMethodsService, TokenizationCallback, type IdvMethod } from 'nestjs-otp-delivery';
import { RequestCardDigitizationDto } from './request-card-digitization.dto.js';

/** The sample's digitization decision. */
export interface DigitizationDecision {
  readonly levelOfTrust: 'green' | 'yellow' | 'red';
  readonly idvMethodList?: readonly IdvMethod[];
}

/**
 * The issuer's own card decisioning, outside the library: this sample always asks for step-up
 * (`yellow`) with the card's SMS and email methods, built by `IdvMethodsService` so a later
 * `sendOTP` maps `otpMethodId` back to the same destination. Unknown cards are declined (`red`).
 * Mounted at the classic prefix, protected like the library's callbacks (client certificate,
 * `x-issuer-id`, `x-correlation-id`) and answering the same error body.
 */
@Controller('issuer/igwapi/v2.0')
@TokenizationCallback()
export class RequestCardDigitizationController {
  constructor(private readonly idvMethods: IdvMethodsService) {}

  @Post('requestCardDigitization')
  // Nest answers 201 to a POST by default; the platform expects 200.
  @HttpCode(200)
  async requestCardDigitization(@Body() body: RequestCardDigitizationDto): Promise<DigitizationDecision> {
    const idvMethodList = await this.idvMethods.forCard(body.issuerCardRefId);
    if (idvMethodList.length === 0) return { levelOfTrust: 'red' };
    return { levelOfTrust: 'yellow', idvMethodList };
  }
}
