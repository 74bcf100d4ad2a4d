// Stands in for libs/otp-delivery/src/tokenization/openapi/load-swagger.ts under Jest (see
// jest.config.js): Jest on Node < 24.9 cannot `require()` an ES module, and @nestjs/swagger is one.
// The library's own synchronous loader runs against the built package instead, with and without
// swagger installed (test/package).
import * as swagger from '@nestjs/swagger';
import type { SwaggerExports } from '../../libs/otp-delivery/src/tokenization/openapi/load-swagger.js';

export function loadSwagger(): SwaggerExports | undefined {
  return swagger;
}
