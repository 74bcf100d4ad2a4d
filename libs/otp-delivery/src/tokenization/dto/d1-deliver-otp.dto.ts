import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators.js';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { DEFAULT_OTP_VALUE_PATTERN } from '../otp-value-pattern.js';
import { OtpValueField } from './otp-value-field.decorator.js';

/** `otp` of a D1 Deliver OTP request. */
export class D1OtpDto {
  /** The code to deliver unchanged; must match `tokenization.otpValuePattern` (default 4 to 10 digits). */
  @ApiProperty({
    description: 'The code to deliver unchanged. By default 4 to 10 digits (`tokenization.otpValuePattern`). Malformed: 112. Never logged.',
    pattern: DEFAULT_OTP_VALUE_PATTERN.source,
    minLength: 4,
    maxLength: 10,
    example: '123456',
  })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @OtpValueField()
  value!: string;

  /** ISO 8601 or epoch (format **unconfirmed**). */
  @ApiPropertyOptional({
    description:
      'When the code stops being valid: ISO 8601 date-time or epoch seconds/milliseconds (format unconfirmed). Past, or closer ' +
      'than `tokenization.minRemainingValiditySeconds`: 911 "The OTP has expired", nothing sent.',
    oneOf: [{ type: 'string', pattern: '^[0-9T:.+\\-Z ]{1,40}$' }, { type: 'integer' }],
    example: '2026-11-22T06:30:00Z',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @Matches(/^[0-9T:.+\-Z ]{1,40}$/i)
  expirationDate?: string;

  /** `CARD-DIGITIZATION`, `DEVICE-BINDING`, `CARDHOLDER-VERIFICATION`, or a newer reason. */
  @ApiPropertyOptional({
    description: 'Why the code is sent: `CARD-DIGITIZATION`, `DEVICE-BINDING`, `CARDHOLDER-VERIFICATION`, or a newer reason (unconfirmed list).',
    minLength: 1,
    maxLength: 64,
    example: 'CARD-DIGITIZATION',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  reason?: string;
}

/**
 * Body of D1 Deliver OTP (`POST /banking/d1/v1/issuers/{issuerId}/consumers/{consumerId}/otp`).
 * The shape is **unconfirmed**; unknown fields are accepted and ignored.
 */
export class D1DeliverOtpDto {
  @ApiProperty({ description: 'The code and its context.', type: () => D1OtpDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => D1OtpDto)
  otp!: D1OtpDto;

  /** `SMS` or `EMAIL` (any case of those ASCII letters). */
  @ApiProperty({ description: 'Channel to deliver on (any case accepted).', enum: ['SMS', 'EMAIL'], example: 'SMS' })
  @IsDefined()
  // Only ASCII letters are upper-cased: `toUpperCase` also makes `SMS` of `ſms` and `EMAIL` of `emaıl`.
  @Transform(({ value }) => (typeof value === 'string' && /^[A-Za-z]+$/.test(value) ? value.toUpperCase() : value))
  @IsIn(['SMS', 'EMAIL'])
  deliveryChannel!: 'SMS' | 'EMAIL';

  /** Last four PAN digits shown in the message. */
  @ApiPropertyOptional({ description: 'Last four PAN digits shown in the message.', pattern: '^[0-9]{4}$', example: '1234' })
  @IsOptional()
  @Matches(/^[0-9]{4}$/)
  panSuffix?: string;

  /** The wallet or merchant asking for the token: informative only. */
  @ApiPropertyOptional({ description: 'The wallet or merchant asking for the token: informative only (unconfirmed shape).', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  digitalCardRequestor?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The device the token goes to: informative only (unconfirmed shape).', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  deviceInformation?: Record<string, unknown>;
}
