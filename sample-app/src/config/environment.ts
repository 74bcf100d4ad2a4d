import { IsInt, IsOptional, IsString, IsUrl, Length, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';

/**
 * The sample app's environment. Every variable is optional: unset ones fall back to the embedded
 * sandboxes (CM.com sandbox, email outbox, in-memory store) so the app runs on a laptop.
 * The library validates the options built from these again, at boot.
 */
export class Environment {
  /** HTTP(S) port. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  /** CM.com product token; unset -> the in-process CM.com sandbox. */
  @IsOptional() @IsString()
  CM_PRODUCT_TOKEN?: string;

  /** OTP API base URL (default CM's production host). */
  @IsOptional() @IsUrl({ require_tld: false })
  CM_OTP_URL?: string;

  /** Business Messaging base URL (default CM's production host). */
  @IsOptional() @IsUrl({ require_tld: false })
  CM_MESSAGING_URL?: string;

  /** SMS sender, 3 to 11 characters. */
  @IsOptional() @IsString()
  CM_SENDER?: string;

  /** `smtp://user:pass@host:587`; unset -> the in-memory email outbox. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['smtp', 'smtps'] })
  SMTP_URL?: string;

  /** From address of OTP emails. */
  @IsOptional() @IsString()
  EMAIL_FROM?: string;

  /** The issuer id the tokenization service sends in `x-issuer-id` (10 characters). */
  @IsOptional() @IsString() @Length(10, 10)
  ISSUER_ID?: string;

  /** `redis://host:6379/0`; unset -> in-memory store (one process only). */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'] })
  REDIS_URL?: string;

  /** Secret CM.com sends in `x-status-report-secret` with status reports (a custom header in CM's portal). */
  @IsOptional() @IsString() @Length(16, 256)
  CM_STATUS_REPORT_SECRET?: string;

  /** JSON file with the sample cardholders. */
  @IsOptional() @IsString()
  CARDHOLDERS_FILE?: string;

  /** PEM files for HTTPS with client certificates (mutual TLS); all three or none. */
  @IsOptional() @IsString()
  TLS_CERT?: string;

  @IsOptional() @IsString()
  TLS_KEY?: string;

  @IsOptional() @IsString()
  TLS_CLIENT_CA?: string;

  /**
   * Secret every replica shares, behind the `idvMethodList` ids and the callbacks' idempotency
   * records (at least 32 characters). Required with `REDIS_URL`: without it a `sendOTP` landing on
   * another replica answers 501, and a retry there sends a second SMS.
   */
  @IsOptional() @IsString() @Length(32, 512)
  OTP_METHOD_ID_SECRET?: string;

  /** Time one delivery may take, fallbacks included, in milliseconds (`delivery.deadlineMs`). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  DELIVERY_DEADLINE_MS?: number;

  /** Sends per calling client per minute (the load benchmark raises it). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  RATE_LIMIT_PER_CLIENT_PER_MINUTE?: number;
}
