import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiInternalServerErrorResponse,
  ApiParam,
  ApiUnauthorizedResponse,
} from './swagger-decorators.js';
import { CallbackErrorResponseDto } from '../dto/callback-error-response.dto.js';

// OpenAPI decorators shared by the callback controllers. They only describe what the guards,
// pipes and the exception filter already enforce; nothing here changes how a request is handled.

const ISSUER_ID_SCHEMA = { type: 'string', minLength: 10, maxLength: 10 } as const;

/** `x-correlation-id` and `x-issuer-id` of the classic (TSH issuer gateway) calls. */
export function ApiClassicCallbackHeaders(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'x-correlation-id',
      required: true,
      description: 'Links the calls of one enrolment session: 1 to 64 printable characters. Missing: 111; malformed: 112.',
      schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]{1,64}$' },
    }),
    ApiHeader({
      name: 'x-issuer-id',
      required: true,
      description: 'The issuer, exactly 10 characters, equal to `tokenization.issuerId`. Missing: 111; wrong length: 112; other issuer: 403.',
      schema: ISSUER_ID_SCHEMA,
    }),
  );
}

/** D1's optional `x-correlation-id` and the `issuerId` / `consumerId` path parameters. */
export function ApiD1CallbackParameters(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'x-correlation-id',
      required: false,
      description: 'Optional, logged in clear, not guaranteed unique. Malformed: 112.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    }),
    ApiParam({
      name: 'issuerId',
      description: 'The issuer, exactly 10 characters, equal to `tokenization.issuerId`. Wrong length: 112; other issuer: 403.',
      schema: ISSUER_ID_SCHEMA,
      example: 'ISSUER0001',
    }),
    ApiParam({
      name: 'consumerId',
      description: 'The consumer as D1 knows it. Malformed: 112.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
      example: 'consumer-0001',
    }),
  );
}

/** The error answers every Thales callback (classic and D1) can give. */
export function ApiCallbackErrorResponses(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({
      description: 'Refused request: `responseCode` 111, 112, 164, 501 (sendOTP) or 911. Not retried by the platform.',
      type: CallbackErrorResponseDto,
    }),
    ApiUnauthorizedResponse({ description: 'No verified caller (client certificate or the configured caller guard).', type: CallbackErrorResponseDto }),
    ApiForbiddenResponse({ description: 'The issuer id does not match this issuer, or the verified client certificate is outside `tokenization.auth` allow-lists.', type: CallbackErrorResponseDto }),
    ApiInternalServerErrorResponse({ description: 'Unexpected failure: `responseCode` 921, retryable.', type: CallbackErrorResponseDto }),
  );
}
