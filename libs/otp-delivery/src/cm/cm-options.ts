import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Max, Min } from 'class-validator';
import { IsRegion } from '../options/is-region.decorator.js';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import { IsSecret } from '../options/is-secret.decorator.js';
import type { CountryCode } from 'libphonenumber-js';
import { toSecret, type SecretValue } from '../common/secret-value.js';

/** CM.com account and transport settings. */
export class CmOptions {
  /**
   * The CM.com product token (a GUID), sent as `X-CM-ProductToken`. Kept as a `SecretValue`
   * internally: it never reaches a log or an error message.
   * @example process.env.CM_PRODUCT_TOKEN
   */
  @IsOptional()
  @IsSecret({ pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, patternName: 'a GUID such as 00000000-0000-0000-0000-000000000000' })
  @KeepAsIs()
  productToken?: string | SecretValue;

  /**
   * Which OTP API generates and verifies codes: `v1` (`/v1.0/otp/...`, the seed document's
   * version, deprecated by CM) or `v2` (`/otp/v2/otp`, needs a CM OTP subscription).
   * @default 'v1'
   * @example 'v2'
   */
  @IsOptional()
  @IsIn(['v1', 'v2'])
  otpApiVersion?: 'v1' | 'v2';

  /**
   * Base URL of the OTP API.
   * @default 'https://api.cm.com'
   * @example 'http://127.0.0.1:8787' (the CM.com sandbox)
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  otpBaseUrl?: string;

  /**
   * Base URL of Business Messaging (SMS).
   * @default 'https://gw.messaging.cm.com'
   * @example 'https://gw.cmtelecom.com'
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  messagingBaseUrl?: string;

  /**
   * Sender shown on the handset: 3 to 11 characters (alphanumeric senders are not allowed in
   * every country; use a phone number there).
   * @default 'OTP'
   * @example 'MyBank'
   */
  @IsOptional()
  @IsString()
  @Length(3, 11, { message: 'sender must be 3 to 11 characters' })
  sender?: string;

  /**
   * Region assumed for phone numbers written without a country code (`090-1234-5678`).
   * @default undefined (numbers must carry a country code)
   * @example 'JP'
   */
  @IsOptional()
  @IsRegion({ message: 'defaultRegion must be an ISO 3166 alpha-2 country code libphonenumber-js knows, such as JP' })
  defaultRegion?: string;

  /**
   * Most SMS parts one message may take. CM's default is 8; Japanese carriers accept 10
   * (670 UCS-2 characters).
   * @default 8
   * @example 10
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10, { message: 'maxMessageParts must be at most 10' })
  maxMessageParts?: number;

  /**
   * Time allowed to open a TCP/TLS connection to CM, in milliseconds.
   * @default 2000
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  connectTimeoutMs?: number;

  /**
   * Time allowed for CM's answer once connected (its headers, then each gap in its body), in
   * milliseconds; `connectTimeoutMs` bounds the connection before it. A delivery's own deadline
   * (`delivery.deadlineMs`) cancels a call sooner.
   * @default 5000
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  requestTimeoutMs?: number;

  /**
   * Keep-alive connections per CM host.
   * @default 16
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  connections?: number;

  /**
   * Send the product token in `messages.authentication` too (older accounts); the header is
   * always sent.
   * @default false
   */
  @IsOptional()
  @IsBoolean()
  tokenInBody?: boolean;
}

/** `CmOptions` with every default applied and the token wrapped; what the CM classes read. */
export interface ResolvedCmOptions {
  readonly productToken?: SecretValue;
  readonly otpApiVersion: 'v1' | 'v2';
  readonly otpBaseUrl: string;
  readonly messagingBaseUrl: string;
  readonly sender: string;
  readonly defaultRegion?: CountryCode;
  readonly maxMessageParts: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly connections: number;
  readonly tokenInBody: boolean;
}

/** Applies the documented defaults of `CmOptions`. An unset token is allowed here: calls fail, the boot does not. */
export function resolveCmOptions(options: CmOptions | undefined): ResolvedCmOptions {
  const token = options?.productToken;
  return {
    productToken: token === undefined || token === '' ? undefined : toSecret(token),
    otpApiVersion: options?.otpApiVersion ?? 'v1',
    otpBaseUrl: options?.otpBaseUrl ?? 'https://api.cm.com',
    messagingBaseUrl: options?.messagingBaseUrl ?? 'https://gw.messaging.cm.com',
    sender: options?.sender ?? 'OTP',
    defaultRegion: options?.defaultRegion as CountryCode | undefined,
    maxMessageParts: options?.maxMessageParts ?? 8,
    connectTimeoutMs: options?.connectTimeoutMs ?? 2000,
    requestTimeoutMs: options?.requestTimeoutMs ?? 5000,
    connections: options?.connections ?? 16,
    tokenInBody: options?.tokenInBody ?? false,
  };
}
