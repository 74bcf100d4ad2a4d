import { IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, Min, ArrayNotEmpty } from 'class-validator';
import { CommaList, IsCidrList, IsHostNameList, IsHostPortList, IsRedisUrl, IsRedisUrlList, SemicolonList } from './environment-lists.js';
import { DecimalInteger } from './environment-numbers.js';

/**
 * The sample app's environment. Every variable is optional: unset ones fall back to the embedded
 * sandboxes (CM.com sandbox, email outbox, in-memory store) so the app runs on a laptop. The
 * README's environment table is generated from this class (`node scripts/environment-reference.js
 * --write`): each field's TSDoc says what it means, `@default` what applies when it is unset (else
 * the initializer), `@mapsTo` where it goes, `@secret` that it must come from a secret store.
 * The library validates the options built from these again, at boot.
 */
export class Environment {
  // ---------------------------------------------------------------- ports

  /**
   * Port of the callbacks (HTTPS with `TLS_*`): the tokenization platform's callbacks, CM.com's
   * status reports and the issuer's `requestCardDigitization`, nothing else. `0` takes a free port.
   * @mapsTo the callback server
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /**
   * Port of the management server (plain HTTP, for the cluster network only): probes, `/metrics`,
   * `/docs`, and the sandbox console while sandboxes run. `0` takes a free port.
   * @mapsTo the management server
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(0) @Max(65535)
  MANAGEMENT_PORT = 9090;

  /**
   * Host names the sandbox console answers besides `localhost`, `*.localhost` and IP addresses,
   * comma-separated, case-insensitive: the name in the browser's address bar when you open it by
   * another (a dev machine's, a tunnel's). Any other name in `Host` gets 403, so that a web page
   * whose name is rebound to this machine (DNS rebinding) cannot read or drive the console.
   * Probes, `/metrics` and `/docs` answer any `Host`.
   * @default unset (`localhost`, `*.localhost` and IP addresses only)
   * @mapsTo the sandbox console's `allowedHosts`
   */
  @IsOptional() @CommaList() @ArrayNotEmpty() @IsHostNameList()
  SANDBOX_CONSOLE_HOSTS?: string[];

  // ---------------------------------------------------------------- CM.com and email

  /**
   * CM.com product token.
   * @default the in-process **CM.com sandbox** when `SMTP_URL` is unset too; with only `SMTP_URL` set, SMS is off
   * @mapsTo `cm.productToken`
   * @secret
   */
  // The library's own rule (`cm.productToken`): any hex digits in groups of 8-4-4-4-12, no RFC 4122 version required.
  @IsOptional() @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'CM_PRODUCT_TOKEN must be a GUID (hex digits in groups of 8-4-4-4-12)' })
  CM_PRODUCT_TOKEN?: string;

  /**
   * Base URL of CM.com's OTP API. Plain `http://` to another machine is warned at every start: the
   * product token would cross the network in clear text.
   * @default `https://api.cm.com` (the sandbox on the embedded defaults)
   * @mapsTo `cm.otpBaseUrl`
   */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'CM_OTP_URL must be an http:// or https:// URL' })
  CM_OTP_URL?: string;

  /**
   * Base URL of CM.com's Business Messaging. Plain `http://` to another machine is warned at every start: the
   * product token would cross the network in clear text.
   * @default `https://gw.messaging.cm.com` (the sandbox on the embedded defaults)
   * @mapsTo `cm.messagingBaseUrl`
   */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'CM_MESSAGING_URL must be an http:// or https:// URL' })
  CM_MESSAGING_URL?: string;

  /**
   * SMS sender shown on the handset, 3 to 11 characters.
   * @default `MyBank`
   * @mapsTo `cm.sender`
   */
  @IsOptional() @IsString() @Length(3, 11)
  CM_SENDER?: string;

  /**
   * Region assumed for phone numbers without a country code (ISO 3166 alpha-2).
   * @mapsTo `cm.defaultRegion`
   */
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'DEFAULT_REGION must be an ISO 3166 alpha-2 country code such as JP' })
  DEFAULT_REGION = 'JP';

  /**
   * `smtp://user:pass@host:587` or `smtps://...`.
   * @default the in-memory **email outbox** when `CM_PRODUCT_TOKEN` is unset too; with only `CM_PRODUCT_TOKEN` set, email is off
   * @mapsTo `email.smtpUrl`
   * @secret
   */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['smtp', 'smtps'] }, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /**
   * `true` lets an `smtp://` server that is not on loopback be used without STARTTLS: the SMTP
   * password and every code then cross the network in clear text. Only for a relay on a network
   * you trust (a sidecar reached by name); otherwise such a server gets no AUTH and no message.
   * @default `false`: STARTTLS required off loopback
   * @mapsTo `email.allowCleartextSmtp`
   */
  @IsOptional() @IsIn(['true', 'false'])
  SMTP_ALLOW_CLEARTEXT?: 'true' | 'false';

  /**
   * From address of OTP emails.
   * @mapsTo `email.from`
   */
  @IsOptional() @IsString()
  EMAIL_FROM = 'MyBank <otp@email.mybank.example>';

  /**
   * The issuer's name in every message (`【MyBank】`, `MyBank:`).
   * @default `CM_SENDER`, else `MyBank`
   * @mapsTo `templates.issuerName`
   */
  @IsOptional() @IsString() @Length(1, 40)
  ISSUER_NAME?: string;

  // ---------------------------------------------------------------- tokenization callbacks

  /**
   * The issuer id the tokenization platform sends in `x-issuer-id` (10 characters).
   * @mapsTo `tokenization.issuerId`
   */
  @IsOptional() @IsString() @Length(10, 10)
  ISSUER_ID = 'ISSUER0001';

  /**
   * Secret every replica shares, behind the `idvMethodList` ids and the callbacks' idempotency
   * records (at least 32 characters). Required with `REDIS_URL`: without it a `sendOTP` landing on
   * another replica answers 501, and a retry there sends a second SMS.
   * @default a random secret per process (one replica only)
   * @mapsTo `tokenization.methodIdSecret`
   * @secret
   */
  @IsOptional() @IsString() @Length(32, 512)
  OTP_METHOD_ID_SECRET?: string;

  /**
   * Secret CM.com sends in `x-status-report-secret` with status reports (a custom header in CM's
   * portal), 16 to 256 characters.
   * @default a random secret the process keeps (the endpoint refuses every call from outside; the sandbox console posts with it)
   * @mapsTo `tokenization.statusReportSecret`
   * @secret
   */
  @IsOptional() @IsString() @Length(16, 256)
  CM_STATUS_REPORT_SECRET?: string;

  /**
   * How callers of the callbacks are authenticated: `mtls` (this process terminates mutual TLS:
   * `TLS_*` required), `trusted-proxy` (an ingress terminates it and forwards the certificate:
   * `TRUSTED_PROXIES` and/or `PROXY_SECRET` required) or `none` (any caller: a laptop only).
   * @default `mtls` with `TLS_*` set, else `none` (warned loudly at boot)
   * @mapsTo `tokenization.auth.mode`
   */
  @IsOptional() @IsIn(['mtls', 'trusted-proxy', 'none'])
  AUTH_MODE?: 'mtls' | 'trusted-proxy' | 'none';

  /**
   * PEM file of the server certificate for HTTPS with client certificates; `TLS_CERT`, `TLS_KEY`
   * and `TLS_CLIENT_CA` go together.
   * @default plain HTTP
   * @mapsTo the callback server's `httpsOptions.cert`
   */
  @IsOptional() @IsString()
  TLS_CERT?: string;

  /**
   * PEM file of the server's private key.
   * @default plain HTTP
   * @mapsTo the callback server's `httpsOptions.key`
   * @secret
   */
  @IsOptional() @IsString()
  TLS_KEY?: string;

  /**
   * PEM file of the CA that signs the platform's client certificates.
   * @default plain HTTP
   * @mapsTo the callback server's `httpsOptions.ca`
   */
  @IsOptional() @IsString()
  TLS_CLIENT_CA?: string;

  /**
   * `AUTH_MODE=trusted-proxy`: comma-separated CIDRs the ingress connects from (checked against
   * the TCP peer, never `x-forwarded-for`).
   * @default unset (no address check; `PROXY_SECRET` is then required)
   * @mapsTo `tokenization.auth.trustedProxies`
   */
  @IsOptional() @CommaList() @ArrayNotEmpty() @IsCidrList()
  TRUSTED_PROXIES?: string[];

  /**
   * `AUTH_MODE=trusted-proxy`: a secret of at least 32 characters the ingress adds to every
   * request in `PROXY_SECRET_HEADER`.
   * @default unset (no secret check; `TRUSTED_PROXIES` is then required)
   * @mapsTo `tokenization.auth.proxySecret`
   * @secret
   */
  @IsOptional() @IsString() @Length(32, 512)
  PROXY_SECRET?: string;

  /**
   * `AUTH_MODE=trusted-proxy`: the header carrying `PROXY_SECRET`.
   * @default `x-proxy-secret`
   * @mapsTo `tokenization.auth.proxySecretHeader`
   */
  @IsOptional() @Matches(/^[a-z0-9-]{1,64}$/, { message: 'PROXY_SECRET_HEADER must be a lowercase header name' })
  PROXY_SECRET_HEADER?: string;

  /**
   * `AUTH_MODE=trusted-proxy`: the header carrying the verified client certificate (nginx's
   * `$ssl_client_escaped_cert`).
   * @default `x-client-cert`
   * @mapsTo `tokenization.auth.certificateHeader`
   */
  @IsOptional() @Matches(/^[a-z0-9-]{1,64}$/, { message: 'CLIENT_CERT_HEADER must be a lowercase header name' })
  CLIENT_CERT_HEADER?: string;

  /**
   * `AUTH_MODE=trusted-proxy`: the header carrying the ingress's verification result (must be
   * `SUCCESS`, nginx's `$ssl_client_verify`).
   * @default `x-client-verify`
   * @mapsTo `tokenization.auth.verifyHeader`
   */
  @IsOptional() @Matches(/^[a-z0-9-]{1,64}$/, { message: 'CLIENT_VERIFY_HEADER must be a lowercase header name' })
  CLIENT_VERIFY_HEADER?: string;

  /**
   * Client certificate subjects allowed to call, separated by `;` (a subject holds commas):
   * `CN=<name>` or a whole subject such as `C=FR, O=Thales, CN=tsh-client`.
   * @default unset (any certificate the CA signed, or the ingress verified)
   * @mapsTo `tokenization.auth.allowedSubjects`
   */
  @IsOptional() @SemicolonList() @ArrayNotEmpty() @IsString({ each: true }) @Length(1, 1024, { each: true })
  // The library's rule for `tokenization.auth.allowedSubjects`, checked here to name the variable.
  @Matches(/^(?!.*,(?! )[A-Za-z0-9.-]+=)[A-Za-z0-9][A-Za-z0-9.-]*=\S/, {
    each: true,
    message: 'ALLOWED_CLIENT_SUBJECTS entries must read CN=<name>, or a whole subject as C=FR, O=Thales, CN=<name> (NAME=value parts joined by a comma and a space; entries separated by ;)',
  })
  ALLOWED_CLIENT_SUBJECTS?: string[];

  /**
   * SHA-256 fingerprints of the client certificates allowed to call, comma-separated (64 hex
   * digits, colons allowed).
   * @default unset (any certificate the CA signed, or the ingress verified)
   * @mapsTo `tokenization.auth.allowedFingerprints`
   */
  @IsOptional() @CommaList() @ArrayNotEmpty()
  @Matches(/^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$/, { each: true, message: 'ALLOWED_CLIENT_FINGERPRINTS must hold SHA-256 fingerprints (64 hex digits, colons allowed)' })
  ALLOWED_CLIENT_FINGERPRINTS?: string[];

  /**
   * Time one delivery may take, fallbacks included, in milliseconds.
   * @default `5000`
   * @mapsTo `delivery.deadlineMs`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(100) @Max(120_000)
  DELIVERY_DEADLINE_MS?: number;

  /**
   * JSON file with the sample cardholders.
   * @default `sample-app/data/cardholders.json`
   * @mapsTo the sample's `CardholderContactResolver`
   */
  @IsOptional() @IsString()
  CARDHOLDERS_FILE?: string;

  // ---------------------------------------------------------------- store

  /**
   * `redis://[:password@]host:6379/0` or `rediss://...` (TLS): one Redis server, shared by every
   * replica. Needs `OTP_METHOD_ID_SECRET`.
   * @default in-memory store (one process only)
   * @mapsTo `store: { type: 'redis', redisUrl }`
   * @secret
   */
  @IsOptional() @IsRedisUrl()
  REDIS_URL?: string;

  /**
   * A Redis Cluster instead of one server (Redis 7 or later): comma-separated `redis://` or
   * `rediss://` URLs of some of its masters (one is enough, the rest are discovered), a password
   * in them if the cluster has one. Needs `OTP_METHOD_ID_SECRET`; not with `REDIS_URL` or
   * `REDIS_SENTINELS`.
   * @default unset
   * @mapsTo `store: { type: 'redis', cluster: { nodes } }`
   * @secret
   */
  @IsOptional() @CommaList() @ArrayNotEmpty() @IsRedisUrlList()
  REDIS_CLUSTER_NODES?: string[];

  /**
   * Redis behind Sentinel instead of one fixed server: comma-separated `host:port` of the
   * sentinels; ioredis asks them for the master named `REDIS_SENTINEL_MASTER` and follows a
   * failover. Needs `OTP_METHOD_ID_SECRET`; not with `REDIS_URL` or `REDIS_CLUSTER_NODES`.
   * @default unset
   * @mapsTo `store: { type: 'redis', redis: { sentinels, name, password } }`
   */
  @IsOptional() @CommaList() @ArrayNotEmpty() @IsHostPortList()
  REDIS_SENTINELS?: string[];

  /**
   * `REDIS_SENTINELS`: the name of the master the sentinels watch.
   * @default `mymaster`
   * @mapsTo `store.redis.name`
   */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'REDIS_SENTINEL_MASTER must be 1 to 64 letters, digits, dots, dashes or underscores' })
  REDIS_SENTINEL_MASTER?: string;

  /**
   * `REDIS_SENTINELS`: the password of the Redis servers (the master and its replicas).
   * @default unset
   * @mapsTo `store.redis.password`
   * @secret
   */
  @IsOptional() @IsString() @Length(1, 512)
  REDIS_PASSWORD?: string;

  /**
   * Prefix of every Redis key, so several apps can share one database.
   * @default `otp:`
   * @mapsTo `store.keyPrefix`
   */
  @IsOptional() @IsString() @Length(1, 64)
  REDIS_KEY_PREFIX?: string;

  /**
   * What sending does while the store is unreachable: `closed` refuses (921, the platform
   * retries), `open` sends without the shared rate limits. The tokenization callbacks answer 921
   * either way: their idempotency record needs the store.
   * @default `closed`
   * @mapsTo `store.failMode`
   */
  @IsOptional() @IsIn(['closed', 'open'])
  STORE_FAIL_MODE?: 'closed' | 'open';

  /**
   * Engine behind the `OtpEngine` token (issuer-generated codes): `cm` (CM.com's OTP API, which sends
   * the code) or `local` (the embedded engine, which answers the code for a channel to send).
   * @default `cm`
   * @mapsTo `otp.engine`
   */
  @IsOptional() @IsIn(['cm', 'local'])
  OTP_ENGINE?: 'cm' | 'local';

  /**
   * Key of the HMAC under which the local engine stores codes, at least 32 characters; the same
   * on every replica. Required with `OTP_ENGINE=local` and a shared store (`REDIS_URL`,
   * `REDIS_CLUSTER_NODES` or `REDIS_SENTINELS`).
   * @default a random key per process (one replica only)
   * @mapsTo `otp.hashKey`
   * @secret
   */
  @IsOptional() @IsString() @Length(32, 512)
  OTP_HASH_KEY?: string;

  // ---------------------------------------------------------------- fraud and rate controls

  /**
   * Sends per card reference within `RATE_LIMIT_PER_CARD_WINDOW_SECONDS`.
   * @default `5`
   * @mapsTo `limits.perCard.max`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1)
  RATE_LIMIT_PER_CARD_MAX?: number;

  /**
   * Window of the per-card limit, in seconds.
   * @default `3600`
   * @mapsTo `limits.perCard.windowSeconds`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1)
  RATE_LIMIT_PER_CARD_WINDOW_SECONDS?: number;

  /**
   * Sends per destination (phone number or mailbox) within `RATE_LIMIT_PER_DESTINATION_WINDOW_SECONDS`.
   * @default `5`
   * @mapsTo `limits.perDestination.max`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1)
  RATE_LIMIT_PER_DESTINATION_MAX?: number;

  /**
   * Window of the per-destination limit, in seconds.
   * @default `3600`
   * @mapsTo `limits.perDestination.windowSeconds`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1)
  RATE_LIMIT_PER_DESTINATION_WINDOW_SECONDS?: number;

  /**
   * Sends per calling client (its certificate) within `RATE_LIMIT_PER_CLIENT_WINDOW_SECONDS`.
   * @default `600`
   * @mapsTo `limits.perClient.max`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1)
  RATE_LIMIT_PER_CLIENT_MAX?: number;

  /**
   * Window of the per-client limit, in seconds.
   * @default `60`
   * @mapsTo `limits.perClient.windowSeconds`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1)
  RATE_LIMIT_PER_CLIENT_WINDOW_SECONDS?: number;

  /**
   * Countries SMS may go to, comma-separated ISO 3166 alpha-2 codes, or `*` for every country.
   * @default `JP,GB,US,DE,FR,NL`
   * @mapsTo `limits.allowedCountries`
   */
  @IsOptional() @CommaList() @ArrayNotEmpty()
  @Matches(/^(?:[A-Z]{2}|\*)$/, { each: true, message: 'ALLOWED_COUNTRIES must hold ISO 3166 alpha-2 codes such as JP, or be *' })
  ALLOWED_COUNTRIES?: string[];

  // ---------------------------------------------------------------- health, logs, shutdown

  /**
   * Longest wait for one dependency check (CM.com, SMTP, store), in milliseconds. Below 1000 so
   * every probe answers within Kubernetes' default 1 s timeout.
   * @mapsTo `health.timeoutMs`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1) @Max(60_000)
  HEALTH_TIMEOUT_MS = 800;

  /**
   * How long a dependency check's result is reused, in milliseconds (probes never become traffic
   * to CM.com or the SMTP server); a failed result for a second at most.
   * @default `10000`
   * @mapsTo `health.cacheTtlMs`
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(0) @Max(600_000)
  HEALTH_CACHE_TTL_MS?: number;

  /**
   * How often the background check of CM.com, SMTP and the store updates the
   * `otp_dependency_up{dependency}` gauges, in milliseconds.
   * @mapsTo the management server's dependency monitor
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(1000) @Max(3_600_000)
  DEPENDENCY_CHECK_INTERVAL_MS = 15_000;

  /**
   * Least severe level logged: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.
   * @mapsTo the pino logger
   */
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /**
   * `json` (one object per line, for log shippers) or `pretty` (readable lines).
   * @default `pretty` when stdout is a terminal, else `json`
   * @mapsTo the pino logger
   */
  @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /**
   * Time between SIGTERM and closing the callback port, in milliseconds: readiness answers 503 at
   * once and callbacks are still served, so the load balancer stops sending before connections
   * are refused. Prefer a `preStop` sleep in Kubernetes; use this where there is none.
   * @mapsTo shutdown
   */
  @IsOptional() @DecimalInteger() @IsInt() @Min(0) @Max(60_000)
  SHUTDOWN_DELAY_MS = 0;
}
