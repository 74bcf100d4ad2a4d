import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { CallerAuthenticationGuard } from './guards/caller-authentication.guard.js';
import { CallbackHeadersGuard } from './guards/callback-headers.guard.js';
import { CallbackJsonBodyGuard } from './guards/callback-json-body.guard.js';
import { CallbackExceptionFilter } from './callback-exception.filter.js';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { ApiCallbackErrorResponses, ApiClassicCallbackHeaders } from './openapi/callback-api.decorators.js';

/**
 * Protects an issuer's own tokenization route (typically `requestCardDigitization`) as the
 * module protects its callbacks, and answers its errors in the same Thales shape
 * (`{ responseCode, errorMessage }`):
 * - caller authentication (`tokenization.auth`, or the guard under `OTP_CALLER_GUARD`): 401 / 403;
 * - `x-issuer-id` equal to `tokenization.issuerId` (403 otherwise), `x-correlation-id` 1 to 64;
 * - a JSON body (`content-type: application/json`), validated against the `@Body()` parameter's
 *   class with its class-validator decorators: 111 naming a missing field, 112 a malformed one.
 *
 * For POST routes with a JSON body and no `:issuerId` path parameter (the classic shape: the
 * issuer id comes in `x-issuer-id`), on a class or a method; it also documents those headers and
 * the error answers for `@nestjs/swagger`. It needs `OtpDeliveryModule`'s providers in the controller's
 * scope: `isGlobal: true`, or the controller declared in the module that calls `forRoot`. Add
 * `@HttpCode(200)`: Nest answers 201 to a POST by default, and the platform expects 200.
 *
 * @example
 * @Controller('issuer/igwapi/v2.0')
 * export class DigitizationController {
 *   constructor(private readonly idvMethods: IdvMethodsService) {}
 *
 *   @Post('requestCardDigitization')
 *   @TokenizationCallback()
 *   @HttpCode(200)
 *   async decide(@Body() body: RequestCardDigitizationDto) {
 *     return { levelOfTrust: 'yellow', idvMethodList: await this.idvMethods.forCard(body.issuerCardRefId) };
 *   }
 * }
 */
export function TokenizationCallback(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(CallerAuthenticationGuard, CallbackHeadersGuard, CallbackJsonBodyGuard),
    UseFilters(CallbackExceptionFilter),
    UsePipes(CallbackBodyPipe),
    // What the guards require and answer, in the OpenAPI document too (nothing without @nestjs/swagger).
    ApiClassicCallbackHeaders(),
    ApiCallbackErrorResponses(),
  );
}
