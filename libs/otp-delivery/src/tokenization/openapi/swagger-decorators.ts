import type { SwaggerExports } from './load-swagger.js';
import { deferredDecorator } from './openapi-metadata.js';

// Every OpenAPI decorator of the library comes from here, typed as swagger's own. None loads
// `@nestjs/swagger`: they apply when `applyOtpDeliveryOpenApi()` runs (openapi-metadata.ts).

export const ApiBadRequestResponse = deferredDecorator('ApiBadRequestResponse') as SwaggerExports['ApiBadRequestResponse'];
export const ApiBody = deferredDecorator('ApiBody') as SwaggerExports['ApiBody'];
export const ApiConsumes = deferredDecorator('ApiConsumes') as SwaggerExports['ApiConsumes'];
export const ApiForbiddenResponse = deferredDecorator('ApiForbiddenResponse') as SwaggerExports['ApiForbiddenResponse'];
export const ApiHeader = deferredDecorator('ApiHeader') as SwaggerExports['ApiHeader'];
export const ApiInternalServerErrorResponse = deferredDecorator('ApiInternalServerErrorResponse') as SwaggerExports['ApiInternalServerErrorResponse'];
export const ApiNoContentResponse = deferredDecorator('ApiNoContentResponse') as SwaggerExports['ApiNoContentResponse'];
export const ApiNotFoundResponse = deferredDecorator('ApiNotFoundResponse') as SwaggerExports['ApiNotFoundResponse'];
export const ApiOkResponse = deferredDecorator('ApiOkResponse') as SwaggerExports['ApiOkResponse'];
export const ApiOperation = deferredDecorator('ApiOperation') as SwaggerExports['ApiOperation'];
export const ApiParam = deferredDecorator('ApiParam') as SwaggerExports['ApiParam'];
export const ApiProperty = deferredDecorator('ApiProperty') as SwaggerExports['ApiProperty'];
export const ApiPropertyOptional = deferredDecorator('ApiPropertyOptional') as SwaggerExports['ApiPropertyOptional'];
export const ApiQuery = deferredDecorator('ApiQuery') as SwaggerExports['ApiQuery'];
export const ApiTags = deferredDecorator('ApiTags') as SwaggerExports['ApiTags'];
export const ApiUnauthorizedResponse = deferredDecorator('ApiUnauthorizedResponse') as SwaggerExports['ApiUnauthorizedResponse'];
