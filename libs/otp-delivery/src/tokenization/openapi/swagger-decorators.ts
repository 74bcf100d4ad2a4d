import { loadSwagger, type SwaggerExports } from './load-swagger.js';

// Every OpenAPI decorator of the library comes from here. `@nestjs/swagger` is an optional peer:
// installed, these are its own decorators (the document is what it always was); absent, they do
// nothing and the callbacks work the same, with no OpenAPI metadata to read.

const swagger = loadSwagger();

/** Stands in for any swagger decorator factory when swagger is not installed. */
function noDecorator(): ClassDecorator & MethodDecorator & PropertyDecorator {
  return () => undefined;
}

export const ApiBadRequestResponse: SwaggerExports['ApiBadRequestResponse'] = swagger?.ApiBadRequestResponse ?? noDecorator;
export const ApiBody: SwaggerExports['ApiBody'] = swagger?.ApiBody ?? noDecorator;
export const ApiConsumes: SwaggerExports['ApiConsumes'] = swagger?.ApiConsumes ?? noDecorator;
export const ApiForbiddenResponse: SwaggerExports['ApiForbiddenResponse'] = swagger?.ApiForbiddenResponse ?? noDecorator;
export const ApiHeader: SwaggerExports['ApiHeader'] = swagger?.ApiHeader ?? noDecorator;
export const ApiInternalServerErrorResponse: SwaggerExports['ApiInternalServerErrorResponse'] = swagger?.ApiInternalServerErrorResponse ?? noDecorator;
export const ApiNoContentResponse: SwaggerExports['ApiNoContentResponse'] = swagger?.ApiNoContentResponse ?? noDecorator;
export const ApiNotFoundResponse: SwaggerExports['ApiNotFoundResponse'] = swagger?.ApiNotFoundResponse ?? noDecorator;
export const ApiOkResponse: SwaggerExports['ApiOkResponse'] = swagger?.ApiOkResponse ?? noDecorator;
export const ApiOperation: SwaggerExports['ApiOperation'] = swagger?.ApiOperation ?? noDecorator;
export const ApiParam: SwaggerExports['ApiParam'] = swagger?.ApiParam ?? noDecorator;
export const ApiProperty: SwaggerExports['ApiProperty'] = swagger?.ApiProperty ?? noDecorator;
export const ApiPropertyOptional: SwaggerExports['ApiPropertyOptional'] = swagger?.ApiPropertyOptional ?? noDecorator;
export const ApiQuery: SwaggerExports['ApiQuery'] = swagger?.ApiQuery ?? noDecorator;
export const ApiTags: SwaggerExports['ApiTags'] = swagger?.ApiTags ?? noDecorator;
export const ApiUnauthorizedResponse: SwaggerExports['ApiUnauthorizedResponse'] = swagger?.ApiUnauthorizedResponse ?? noDecorator;
