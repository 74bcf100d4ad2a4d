import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsOptional, IsString, Length, Matches } from 'class-validator';

/** The actions Thales documents; more may appear and are accepted as plain strings. */
export type KnownVirtualCardAction = 'ACTIVATE' | 'SUSPEND' | 'RESUME' | 'DELETE' | 'DELETE_FROM_APP';
/** `action` of a virtual card change: a known action or a newer one. */
export type VirtualCardAction = KnownVirtualCardAction | (string & {});

/** Body of classic `notifyVirtualCardChange`. Unknown fields are accepted and ignored. */
export class NotifyVirtualCardChangeDto {
  @IsDefined()
  @IsString()
  @Length(1, 48)
  issuerCardRefId!: string;

  @IsDefined()
  @IsString()
  @Length(1, 64)
  virtualCardId!: string;

  @IsDefined()
  @IsString()
  @Length(1, 128)
  walletProviderId!: string;

  @IsDefined()
  @IsString()
  @Length(1, 128)
  tokenStorageId!: string;

  @IsDefined()
  @IsBoolean()
  isPrimary!: boolean;

  /** `ACTIVATE`, `SUSPEND`, `RESUME`, `DELETE`, `DELETE_FROM_APP`, or a newer action. */
  @IsDefined()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  action!: VirtualCardAction;

  /** `WALLET`, `TSP`, `ISSUER`, or a newer source. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  source?: string;

  /** DPAN and expiry, possibly encrypted: opaque, never logged nor published in clear. */
  @IsOptional()
  tokenInfo?: unknown;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  walletCardRefId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  walletVirtualCardId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  primaryWalletVirtualCardId?: string;

  /** e.g. 221: device not reachable after retries. Numbers sent as strings are accepted. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @Matches(/^[0-9]{1,6}$/)
  errorCode?: string | number;
}

