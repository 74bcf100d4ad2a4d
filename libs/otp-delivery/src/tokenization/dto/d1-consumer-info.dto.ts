import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators.js';
import type { D1ConsumerInfo } from '../d1-consumer-info.js';

/** OpenAPI schema of `consumerInfo.mobilePhoneNumber`. Documentation only. */
export class D1MobilePhoneNumberDto {
  @ApiProperty({ description: 'Calling code without `+`.', example: '44' })
  readonly countryCode!: string;

  @ApiProperty({ description: 'National number.', example: '7700900123' })
  readonly phoneNumber!: string;
}

/**
 * OpenAPI schema of D1 Get Consumer Information's 200 body (`consumerInfo`); fields the issuer
 * does not know are left out. Documentation only: the body is built by `toD1ConsumerInfo`.
 */
export class D1ConsumerInfoDto implements D1ConsumerInfo {
  @ApiPropertyOptional({ description: 'Lowercase language, uppercase country.', example: 'en-US', pattern: '^[a-z]{2}-[A-Z]{2}$' })
  readonly language?: string;

  @ApiPropertyOptional({ description: 'Unconfirmed field name.', example: 'Ada' })
  readonly firstName?: string;

  @ApiPropertyOptional({ description: 'Unconfirmed field name.' })
  readonly middleName?: string;

  @ApiPropertyOptional({ description: 'Unconfirmed field name.', example: 'Lovelace' })
  readonly lastName?: string;

  @ApiPropertyOptional({ description: 'Unconfirmed field name.', example: 'ada@example.com' })
  readonly email?: string;

  @ApiPropertyOptional({ description: 'Unconfirmed field name and shape.', type: D1MobilePhoneNumberDto })
  readonly mobilePhoneNumber?: D1MobilePhoneNumberDto;
}
