import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators.js';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { isPlainObject } from '../../common/plain-object.js';

/** The actions Thales documents; more may appear and are accepted as plain strings. */
export type KnownVirtualCardAction = 'ACTIVATE' | 'SUSPEND' | 'RESUME' | 'DELETE' | 'DELETE_FROM_APP';
/** `action` of a virtual card change: a known action or a newer one. */
export type VirtualCardAction = KnownVirtualCardAction | (string & {});

/** Body of classic `notifyVirtualCardChange`. Unknown fields are accepted and ignored. */
export class NotifyVirtualCardChangeDto {
  @ApiProperty({ description: "The issuer's card reference.", minLength: 1, maxLength: 48, example: 'CARDREF-000000000001' })
  @IsDefined()
  @IsString()
  @Length(1, 48)
  issuerCardRefId!: string;

  @ApiProperty({ description: 'The token (virtual card) at the TSP.', minLength: 1, maxLength: 64, example: 'VC-0001' })
  @IsDefined()
  @IsString()
  @Length(1, 64)
  virtualCardId!: string;

  @ApiProperty({ description: 'The wallet holding the token.', minLength: 1, maxLength: 128, example: 'APPLE_PAY' })
  @IsDefined()
  @IsString()
  @Length(1, 128)
  walletProviderId!: string;

  @ApiProperty({ description: 'The device or storage holding the token.', minLength: 1, maxLength: 128, example: 'device-0001' })
  @IsDefined()
  @IsString()
  @Length(1, 128)
  tokenStorageId!: string;

  @ApiProperty({ description: 'Whether this is the primary token of the card.', type: Boolean, example: true })
  @IsDefined()
  @IsBoolean()
  isPrimary!: boolean;

  /** `ACTIVATE`, `SUSPEND`, `RESUME`, `DELETE`, `DELETE_FROM_APP`, or a newer action. */
  @ApiProperty({
    description:
      'Lifecycle change: `ACTIVATE`, `SUSPEND`, `RESUME`, `DELETE`, `DELETE_FROM_APP` (Mastercard only). Newer actions may appear and are accepted.',
    type: String,
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    example: 'ACTIVATE',
  })
  @IsDefined()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  action!: VirtualCardAction;

  /** `WALLET`, `TSP`, `ISSUER`, or a newer source. */
  @ApiPropertyOptional({ description: 'Who made the change: `WALLET`, `TSP`, `ISSUER`, or a newer source.', minLength: 1, maxLength: 64, example: 'WALLET' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  source?: string;

  /** DPAN and expiry, possibly encrypted: opaque, never logged nor published in clear. */
  @ApiPropertyOptional({
    description: 'DPAN and expiry at activation, possibly encrypted: opaque, never logged nor published in clear (unconfirmed shape).',
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
  })
  @IsOptional()
  @ValidateBy({ name: 'isObjectOrString', validator: { validate: (value) => isPlainObject(value) || (typeof value === 'string' && value !== '') } })
  tokenInfo?: unknown;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  walletCardRefId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  walletVirtualCardId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  primaryWalletVirtualCardId?: string;

  /** e.g. 221: device not reachable after retries. Numbers sent as strings are accepted. */
  @ApiPropertyOptional({
    description: 'e.g. 221: device not reachable after retries. Numbers sent as strings are accepted.',
    oneOf: [{ type: 'string', pattern: '^[0-9]{1,6}$' }, { type: 'integer' }],
    example: '221',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @Matches(/^[0-9]{1,6}$/)
  errorCode?: string | number;
}

