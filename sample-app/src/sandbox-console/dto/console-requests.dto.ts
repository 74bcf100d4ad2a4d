import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { FAULT_CHOICES, RECEIPT_REASONS } from '../cm-choices.js';

// The console passes the form's values on to the real callbacks, which judge them (a code of the
// wrong shape answers 112 there, which is worth seeing): only shape and size are checked here.

/** `POST api/try/digitization` */
export class TryDigitizationDto {
  @IsString()
  @Length(1, 64)
  issuerCardRefId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  walletProviderId?: string;
}

/** `POST api/try/send-otp` */
export class TrySendOtpDto {
  /** The flow's id, from the digitization step (classic `x-correlation-id`: printable ASCII). */
  @Matches(/^[\x21-\x7e]{1,64}$/)
  correlationId!: string;

  @IsString()
  @Length(1, 64)
  issuerCardRefId!: string;

  @IsString()
  @Length(1, 128)
  otpMethodId!: string;

  /** Empty or absent: a random 6-digit code. */
  @IsOptional()
  @IsString()
  @Length(0, 64)
  otpValue?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  walletProviderId?: string;
}

/** `POST api/messages/:reference/receipts` */
export class ReceiptDto {
  @IsIn(['delivered', 'undelivered'])
  status!: 'delivered' | 'undelivered';

  /** For `undelivered`: one of the offered reasons. */
  @IsOptional()
  @IsIn(RECEIPT_REASONS.map((reason) => reason.errorCode))
  errorCode?: number;
}

/** `POST api/faults/fail-next` */
export class FailNextDto {
  @IsInt()
  @Min(1)
  @Max(20)
  count!: number;

  @IsIn(FAULT_CHOICES.map((choice) => choice.id))
  fault!: string;
}

/** `POST api/faults/drop-next` */
export class DropNextDto {
  @IsInt()
  @Min(1)
  @Max(20)
  count!: number;
}

/** `POST api/faults/latency` */
export class LatencyDto {
  @IsInt()
  @Min(0)
  @Max(60_000)
  ms!: number;
}
