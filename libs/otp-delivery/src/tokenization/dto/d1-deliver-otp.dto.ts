import { Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

/** `otp` of a D1 Deliver OTP request. */
export class D1OtpDto {
  /** The code to deliver unchanged: 4 to 16 letters or digits. */
  @IsDefined()
  @IsString()
  @Matches(/^[A-Za-z0-9]{4,16}$/)
  value!: string;

  /** ISO 8601 or epoch (format **unconfirmed**). */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @Matches(/^[0-9T:.+\-Z ]{1,40}$/i)
  expirationDate?: string;

  /** `CARD-DIGITIZATION`, `DEVICE-BINDING`, `CARDHOLDER-VERIFICATION`, or a newer reason. */
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
  @IsDefined()
  @ValidateNested()
  @Type(() => D1OtpDto)
  otp!: D1OtpDto;

  /** `SMS` or `EMAIL` (any case). */
  @IsDefined()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(['SMS', 'EMAIL'])
  deliveryChannel!: 'SMS' | 'EMAIL';

  /** Last four PAN digits shown in the message. */
  @IsOptional()
  @Matches(/^[0-9]{4}$/)
  panSuffix?: string;

  /** The wallet or merchant asking for the token: informative only. */
  @IsOptional()
  @IsObject()
  digitalCardRequestor?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  deviceInformation?: Record<string, unknown>;
}
