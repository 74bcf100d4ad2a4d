import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import { IsSecret } from '../options/is-secret.decorator.js';
import { SecretValue } from '../common/secret-value.js';
import { parseCidr } from './guards/trusted-proxy-addresses.js';
import { SHA256_FINGERPRINT } from './guards/caller-allow-list.js';
import { IsOtpValuePattern } from './otp-value-pattern.js';
import { NestedOptions } from '../options/nested-options.decorator.js';


/**
 * A subject entry that can match: it starts with `NAME=value` (an attribute name or a dotted OID),
 * and a part after a comma follows a comma and a space, as `subjectLine` prints it. Values may
 * hold escaped commas (`O=Thales\, Inc.`), `=` and multi-valued RDNs (`UID=42 + CN=x`). Refused:
 * a bare name, `CN = x`, OpenSSL's `/C=FR/CN=x`, parts joined by a bare comma.
 */
const SUBJECT_LINE = /^(?!.*,(?! )[A-Za-z0-9.-]+=)[A-Za-z0-9][A-Za-z0-9.-]*=\S/;

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

/** The shortest `proxySecret` accepted: guessing it must be as hopeless as forging a certificate. */
const MIN_PROXY_SECRET_LENGTH = 32;

/** Trusted-proxy mode needs something a caller outside the ingress cannot forge. */
@ValidatorConstraint({ name: 'trustedProxyAnchor' })
class TrustedProxyAnchor implements ValidatorConstraintInterface {
  validate(mode: unknown, args: ValidationArguments): boolean {
    const options = args.object as CallerAuthOptions;
    return mode !== 'trusted-proxy' || options.trustedProxies !== undefined || options.proxySecret !== undefined;
  }

  defaultMessage(): string {
    return (
      'mode trusted-proxy needs tokenization.auth.trustedProxies (the addresses the ingress connects from) or ' +
      'tokenization.auth.proxySecret (a header only the ingress sets), or both: without them anyone who reaches the app can forge the certificate headers'
    );
  }
}

/** The same parser the guard builds its address list with, so what boots is what is checked. */
@ValidatorConstraint({ name: 'cidrList' })
class CidrList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && parseCidr(entry) !== undefined);
  }

  defaultMessage(): string {
    return 'trustedProxies must hold IPv4 or IPv6 CIDRs such as 10.0.0.0/8 or ::1/128';
  }
}

/** Measured on the `SecretValue` too, without revealing it. */
@ValidatorConstraint({ name: 'longSecret' })
class LongSecret implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (typeof value === 'string' || value instanceof SecretValue) && value.length >= MIN_PROXY_SECRET_LENGTH;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a string or SecretValue of at least ${MIN_PROXY_SECRET_LENGTH} characters`;
  }
}

/** How the callbacks know the caller is the tokenization platform. */
export class CallerAuthOptions {
  /**
   * - `mtls`: this Node process terminates TLS and asked for a client certificate; the request's
   *   socket must be `authorized` (verified against the `ca` given to `httpsOptions`, with
   *   `requestCert: true`; the module warns at boot when the HTTP server does not ask for one).
   * - `trusted-proxy`: an ingress terminates mutual TLS and forwards the verification result in
   *   `verifyHeader` (must equal `SUCCESS`, nginx's `$ssl_client_verify`) and the certificate in
   *   `certificateHeader`. The request must also come from `trustedProxies` and/or carry
   *   `proxySecret`: at least one of the two is required.
   * - `none`: no caller check (local development only; logged as a warning at boot).
   * @default 'mtls'
   * @example 'trusted-proxy'
   */
  @IsOptional()
  @IsIn(['mtls', 'trusted-proxy', 'none'], { message: 'mode must be one of mtls, trusted-proxy, none' })
  @Validate(TrustedProxyAnchor)
  mode?: 'mtls' | 'trusted-proxy' | 'none';

  /**
   * Trusted-proxy mode: header holding the verified client certificate: URL-encoded PEM (nginx's
   * `$ssl_client_escaped_cert`, Envoy's `%DOWNSTREAM_PEER_CERT%`), PEM, or base64 DER. A value that
   * does not parse, or a certificate outside its validity period, is refused (401).
   * @default 'x-client-cert'
   * @example 'ssl-client-cert'
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

  /**
   * Trusted-proxy mode: the addresses the ingress connects from, as CIDRs (a bare address is one
   * host). Checked against the TCP peer of the request, never `x-forwarded-for`; an IPv4 peer seen
   * as `::ffff:10.1.2.3` matches the IPv4 ranges. Another peer gets 401.
   * @default unset (no address check; proxySecret is then required)
   * @example ['10.0.0.0/8', '::1/128']
   */
  @IsOptional()
  @Validate(CidrList)
  @ArrayNotEmpty({ message: 'trustedProxies must not be empty (leave it unset to rely on proxySecret)' })
  trustedProxies?: string[];

  /**
   * Trusted-proxy mode: header in which the ingress sends `proxySecret`.
   * @default 'x-proxy-secret'
   * @example 'x-ingress-auth'
   */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'proxySecretHeader must be a lowercase header name' })
  proxySecretHeader?: string;

  /**
   * Trusted-proxy mode: a secret of at least 32 characters the ingress adds to every request in
   * `proxySecretHeader` (and strips from what clients send); compared in constant time, a request
   * without it gets 401.
   * @default unset (no secret check; trustedProxies is then required)
   * @example process.env.OTP_PROXY_SECRET
   */
  @IsOptional()
  @KeepAsIs()
  @Validate(LongSecret)
  proxySecret?: string | SecretValue;

  /**
   * Both modes: client certificate subjects allowed to call. `CN=<name>` matches a certificate
   * whose one common name is exactly `<name>`; any other entry must equal the whole subject, RDNs in
   * certificate order joined by `, ` (`C=FR, O=Thales, CN=tsh-client`). A verified certificate
   * outside the list gets 403. When `allowedFingerprints` is set too, a certificate must be on both.
   * @default unset (any certificate the CA signed, or the ingress verified)
   * @example ['CN=tsh-issuer-gateway-client']
   */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'allowedSubjects must not be empty (leave it unset to allow any subject)' })
  @IsString({ each: true })
  @Length(1, 1024, { each: true, message: 'allowedSubjects entries must be 1 to 1024 characters' })
  // Forms that could never match (a bare name, `CN = x`, OpenSSL's `/C=FR/CN=x`, parts joined by `,`
  // alone) would refuse the platform itself behind a clean boot.
  @Matches(SUBJECT_LINE, { each: true, message: 'allowedSubjects entries must read CN=<name>, or a whole subject as C=FR, O=Thales, CN=<name> (NAME=value parts joined by a comma and a space)' })
  allowedSubjects?: string[];

  /**
   * Both modes: SHA-256 fingerprints of the client certificates allowed to call: 64 hex digits,
   * plain or colon-separated, any case. A verified certificate outside the list gets 403 (the
   * platform rotates its certificate: add the next one before it is used).
   * @default unset (any certificate the CA signed, or the ingress verified)
   * @example ['9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08']
   */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'allowedFingerprints must not be empty (leave it unset to allow any certificate)' })
  @Matches(SHA256_FINGERPRINT, { each: true, message: 'allowedFingerprints must hold SHA-256 fingerprints (64 hex digits, colons allowed)' })
  allowedFingerprints?: string[];
}

/** The callbacks the tokenization service (Thales classic and D1) calls on the issuer. */
export class TokenizationOptions {
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
  @NestedOptions(() => IdvMethodTypesOptions)
  idvMethodTypes?: IdvMethodTypesOptions;

  /**
   * The secret behind the `idvMethodList` ids, the callbacks' idempotency records and the names of
   * the limits' counters in the store: a key is derived from it for each with HKDF-SHA256. Unset, a
   * random secret is drawn per process: fine for one process with the memory store, but **replicas
   * must share one**, or a `sendOTP` landing on another replica than the `requestCardDigitization`
   * answers 501 and a retry landing on another replica sends a second SMS. Required with
   * `store.type: 'redis'` while the classic or D1 callbacks are mounted (the boot stops without it);
   * set it with Redis in any case: unset, counters are named by plain SHA-256 digests of the card,
   * phone number or email, which trying every phone number reverses.
   * @default random per process (memory store only)
   * @example process.env.OTP_METHOD_ID_SECRET
   */
  @IsOptional()
  @IsSecret({ minLength: 32 })
  @KeepAsIs()
  methodIdSecret?: string | SecretValue;

  /** How callers of the classic and D1 callbacks are authenticated. */
  @IsOptional()
  @NestedOptions(() => CallerAuthOptions)
  auth?: CallerAuthOptions;

  /**
   * Secret CM.com must send in the `x-status-report-secret` header of status reports (configure
   * it as a custom header in CM's portal). Required when the status-report route is mounted;
   * compared in constant time.
   * @example process.env.CM_STATUS_REPORT_SECRET
   */
  @IsOptional()
  @IsSecret({ minLength: 16 })
  @KeepAsIs()
  statusReportSecret?: string | SecretValue;

  /**
   * Validity given to a code when the callback has no usable `expirationDate` (classic `sendOTP`)
   * or none at all (D1 Deliver OTP), in seconds. At least a minute: messages state whole minutes and must never promise more.
   * @default 300
   * @example 600
   */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(3600)
  otpExpirySeconds?: number;

  /**
   * The codes the callbacks deliver: classic `sendOTP.otpValue` and D1 `otp.value` must match it
   * whole, else 400/112 naming the field and nothing is sent. A RegExp or its source; checked at
   * boot (it must compile and must not match an empty value). The default fits Visa (6 digits)
   * and Mastercard (8); the SMS templates are sized for codes of up to 10 characters.
   * @default /^\d{4,10}$/
   * @example /^[A-Z0-9]{6,8}$/
   */
  @IsOptional()
  @IsOtpValuePattern({ message: 'otpValuePattern must be a RegExp or pattern that compiles and does not match an empty value' })
  @KeepAsIs()
  otpValuePattern?: RegExp | string;

  /**
   * Least validity a code must have left, by its `expirationDate`, to be sent, in seconds. A code
   * closer to its expiry (or past it) answers 400 with responseCode 911 "The OTP has expired" and
   * nothing is sent. At least 60: messages announce whole minutes, rounded down, at least 1.
   * @default 60
   * @example 120
   */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(600)
  minRemainingValiditySeconds?: number;
}
