import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators.js';
import type { CallbackErrorBody } from '../callback-error-response.js';

/** The Thales response codes the callbacks answer with. */
export const CALLBACK_RESPONSE_CODES = [111, 112, 164, 501, 911, 921] as const;

/**
 * OpenAPI schema of the error body every callback answers (`CallbackErrorBody`). Documentation
 * only: the body is built by `toCallbackErrorResponse`, this class never validates anything.
 */
export class CallbackErrorResponseDto implements CallbackErrorBody {
  @ApiPropertyOptional({
    description:
      'Thales response code: 111 missing mandatory parameter, 112 bad parameter format (HTTP 413 for a body over the size ' +
      'limit), 164 refused by fraud and rate controls, 501 invalid otpMethodId (sendOTP), 911 the OTP could not be delivered, ' +
      'or, with errorMessage "The OTP has expired", its expirationDate is past or closer than ' +
      '`tokenization.minRemainingValiditySeconds` (nothing sent), 921 unexpected server error (HTTP 500, retryable). ' +
      'Absent on 401, 403 and 404 answers.',
    enum: CALLBACK_RESPONSE_CODES,
    type: Number,
    example: 112,
  })
  readonly responseCode?: number;

  @ApiProperty({
    description:
      'Fixed text or the name of the faulty field, never a submitted value. The field name `errorMessage` is unconfirmed ' +
      'against the official Thales schema.',
    example: 'Invalid parameter format: otpValue',
  })
  readonly errorMessage!: string;
}
