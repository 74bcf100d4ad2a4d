import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import type { SecretValue } from '../common/secret-value.js';
import type { OtpCallbackRoutes } from './callback-routes.js';

/** The `type` literals written into `idvMethodList` entries. */
export class IdvMethodTypesOptions {
  /**
   * Type of the SMS method. **Unconfirmed** in Thales' public material: wallet SDKs show
   * `otpBySMS`, Mastercard uses `TEXT_TO_CARDHOLDER_NUMBER`; set what your platform expects.
   * @default 'otpBySMS'
   * @example 'TEXT_TO_CARDHOLDER_NUMBER'
   */
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'sms must be 1 to 64 characters' })
  sms?: string;

  /**
   * Type of the email method. **Unconfirmed**, as `sms`.
   * @default 'otpByEmail'
   * @example 'EMAIL_TO_CARDHOLDER_ADDRESS'
   */
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'email must be 1 to 64 characters' })
  email?: string;
}

/** How the callbacks know the caller is the tokenization platform. */
export class CallerAuthOptions {
  /**
   * - `mtls`: this Node process terminates TLS and asked for a client certificate; the request's
   *   socket must be `authorized` (verified against the `ca` given to `httpsOptions`).
   * - `trusted-proxy`: an ingress terminates mutual TLS and forwards the verification result in
   *   `verifyHeader` (must equal `SUCCESS`, nginx's `$ssl_client_verify`) and the certificate in
   *   `certificateHeader`. Only safe when nothing but the ingress can reach the app.
   * - `none`: no caller check (local development only; logged as a warning at boot).
   * @default 'mtls'
   * @example 'trusted-proxy'
   */
  @IsOptional()
  @IsIn(['mtls', 'trusted-proxy', 'none'], { message: 'mode must be one of mtls, trusted-proxy, none' })
  mode?: 'mtls' | 'trusted-proxy' | 'none';

  /**
   * Trusted-proxy mode: header holding the verified client certificate (PEM, URL-encoded as
   * nginx's `$ssl_client_escaped_cert`). Must be present and non-empty.
   * @default 'x-client-cert'
   * @example 'x-forwarded-client-cert'
   */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'certificateHeader must be a lowercase header name' })
  certificateHeader?: string;

  /**
   * Trusted-proxy mode: header holding the ingress's verification result; the request passes
   * only when it equals `SUCCESS` (nginx: `proxy_set_header X-Client-Verify $ssl_client_verify;`).
   * @default 'x-client-verify'
   * @example 'ssl-client-verify'
   */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'verifyHeader must be a lowercase header name' })
  verifyHeader?: string;
}

/** The callbacks the tokenization service (Thales classic and D1) calls on the issuer. */
export class TokenizationOptions {
  /**
   * Where the callback controllers are mounted (read by `forRoot`; `forRootAsync` takes `routes`
   * beside the factory because routes are fixed before the factory runs). `false` switches a group
   * off; a group left `undefined` (an unset environment variable) keeps its default path.
   * @default { classic: '/issuer/igwapi/v2.0', d1: '', statusReports: '/cm/status-reports' }
   * @example { classic: '/tsh/v2', d1: false }
   */
  @IsOptional()
  @IsObject()
  @KeepAsIs()
  routes?: OtpCallbackRoutes;

  /**
   * The issuer id the platform sends in `x-issuer-id` (classic) or the path (D1): exactly 10
   * characters. Required when the classic or D1 callbacks are mounted; a request carrying
   * another id is refused with 403.
   * @example 'ISSUER0001'
   */
  @IsOptional()
  @IsString()
  @Length(10, 10, { message: 'issuerId must be exactly 10 characters' })
  issuerId?: string;

  /**
   * How long a `sendOTP` / Deliver OTP / `notifyVirtualCardChange` repeat is recognised and
   * answered with the first outcome, in seconds.
   * @default 600
   * @example 900
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  idempotencyWindowSeconds?: number;

  /** `type` literals of the `idvMethodList` entries (unconfirmed literals: configurable). */
  @IsOptional()
  @ValidateNested()
  @Type(() => IdvMethodTypesOptions)
  idvMethodTypes?: IdvMethodTypesOptions;

  /**
   * HMAC key behind the `idvMethodList` ids. Unset, a random key is drawn per process: fine for one
   * process, but **replicas must share one key** or a `sendOTP` landing on another replica than the
   * `requestCardDigitization` answers 501.
   * @default random per process
   * @example process.env.OTP_METHOD_ID_SECRET
   */
  @IsOptional()
  @KeepAsIs()
  methodIdSecret?: string | SecretValue;

  /** How callers of the classic and D1 callbacks are authenticated. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CallerAuthOptions)
  auth?: CallerAuthOptions;

  /**
   * Secret CM.com must send in the `x-status-report-secret` header of status reports (configure
   * it as a custom header in CM's portal). Required when the status-report route is mounted;
   * compared in constant time.
   * @example process.env.CM_STATUS_REPORT_SECRET
   */
  @IsOptional()
  @KeepAsIs()
  statusReportSecret?: string | SecretValue;

  /**
   * Validity given to a classic `sendOTP` message when the request has no usable `expirationDate`,
   * in seconds.
   * @default 300
   * @example 600
   */
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(3600)
  otpExpirySeconds?: number;
}
