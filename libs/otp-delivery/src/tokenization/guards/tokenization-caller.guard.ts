import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHash, timingSafeEqual, type X509Certificate } from 'node:crypto';
import { OtpLogger, type OtpLogFields } from '../../logging/otp-logger.js';
import { LogThrottle } from '../../logging/log-throttle.js';
import { CALLBACK_ROUTES, TOKENIZATION_OPTIONS } from '../tokenization.constants.js';
import type { ResolvedTokenizationOptions } from '../tokenization-options.resolver.js';
import { CallerRefusedError } from '../errors/caller-refused.error.js';
import { setCallerIdentity, type OtpCallerIdentity } from '../caller-identity.js';
import type { ResolvedCallbackRoutes } from '../callback-routes.js';
import { isCurrentlyValid, readForwardedCertificate, subjectLine, verifiedPeerCertificate } from './client-certificate.js';
import { TrustedProxyAddresses } from './trusted-proxy-addresses.js';
import { CallerAllowList } from './caller-allow-list.js';
import { requestsClientCertificates } from './mtls-server-check.js';
import { recordInitialHandshakes } from './initial-handshake.js';
import { singleHeader, type RequestHeaders } from '../header-lines.js';

interface CallbackRequest extends RequestHeaders {
  readonly socket?: unknown;
  /** Fastify keeps Node's request here. */
  readonly raw?: RequestHeaders['raw'] & { readonly socket?: unknown };
}

/** Why a caller was refused: logged for the operator, never sent to the caller. */
type RefusalReason =
  | 'no-verified-certificate'
  | 'untrusted-address'
  | 'wrong-proxy-secret'
  | 'not-verified-by-proxy'
  | 'unreadable-certificate'
  | 'certificate-not-current'
  | 'not-on-allow-list';

/** The answers say what is missing, never which of the proxy checks failed nor what was configured. */
const MTLS_REQUIRED = 'A verified client certificate is required (tokenization.auth.mode mtls)';
const PROXY_REQUIRED = 'A client certificate verified by a trusted proxy is required (tokenization.auth.mode trusted-proxy)';
const FORWARDED_INVALID = 'The forwarded client certificate is unreadable or outside its validity period (tokenization.auth.mode trusted-proxy)';
const NOT_ALLOWED = "The client certificate is not on this issuer's allow-list";
/** Every caller of auth mode `none`: one budget for the per-caller limit (frozen: shared by every request). */
const UNAUTHENTICATED: OtpCallerIdentity = Object.freeze({ id: 'unauthenticated' });
/** Anyone can send refused calls: one line per reason per minute says why without flooding the logs. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * The default caller authentication of the classic and D1 callbacks (`tokenization.auth`):
 * - `mtls`: the connection carries a client certificate that Node verified against the CA given
 *   to `httpsOptions.ca` (`socket.authorized`). A plain-HTTP app refuses every call (warned at boot).
 * - `trusted-proxy`: the request comes from `trustedProxies` (the TCP peer) and/or carries
 *   `proxySecret`; then the ingress's verification header says `SUCCESS` and the certificate header
 *   holds a certificate that parses and is within its validity period.
 * - `none`: every caller passes (local development), recorded as `{ id: 'unauthenticated' }`.
 * Then the certificate must be on `allowedSubjects` / `allowedFingerprints` when they are set (403).
 * The verified caller is recorded with `setCallerIdentity` (id: the certificate's SHA-256
 * fingerprint), which keys the per-caller send limit. A refused caller gets 401/403 before the body
 * is read and nothing is sent. Replace it through `{ provide: OTP_CALLER_GUARD, useClass: YourGuard }`.
 */
@Injectable()
export class TokenizationCallerGuard implements CanActivate, OnApplicationBootstrap {
  readonly #logger = new OtpLogger('OtpTokenizationCallbacks');
  readonly #auth: ResolvedTokenizationOptions['auth'];
  readonly #trustedProxies?: TrustedProxyAddresses;
  readonly #allowList: CallerAllowList;
  readonly #refusalLogs = new Map<RefusalReason, LogThrottle>();

  constructor(
    @Inject(TOKENIZATION_OPTIONS) options: ResolvedTokenizationOptions,
    @Optional() private readonly httpAdapterHost?: HttpAdapterHost,
    @Optional() @Inject(CALLBACK_ROUTES) private readonly routes?: ResolvedCallbackRoutes,
  ) {
    this.#auth = options.auth;
    if (this.#auth.trustedProxies) this.#trustedProxies = new TrustedProxyAddresses(this.#auth.trustedProxies);
    this.#allowList = new CallerAllowList({ subjects: this.#auth.allowedSubjects, fingerprints: this.#auth.allowedFingerprints });
  }

  /** Mode `mtls` on a server that never asks for a client certificate answers every call 401: say so once, at boot. */
  onApplicationBootstrap(): void {
    const server: unknown = this.httpAdapterHost?.httpAdapter?.getHttpServer();
    // Before the app listens, whatever routes are mounted (an issuer's own @TokenizationCallback
    // route is guarded too): every connection's first handshake is recorded, so a certificate
    // swapped in by a renegotiation is not taken for the verified one.
    if (this.#auth.mode === 'mtls' && requestsClientCertificates(server)) recordInitialHandshakes(server);
    if (!this.#callbacksMounted()) return;
    if (this.#auth.mode === 'none') {
      this.#logger.warn('tokenization.auth.mode is "none": the tokenization callbacks accept any caller. Use it only for local development.');
      return;
    }
    if (this.#auth.mode !== 'mtls') return;
    // No HTTP server (an application context, a microservice): there are no callbacks to serve.
    if (server === undefined || requestsClientCertificates(server)) return;
    this.#logger.warn(
      'tokenization.auth.mode is "mtls" (the default) but the HTTP server does not ask for client certificates, so every classic and D1 ' +
        'callback answers 401. Serve HTTPS with requestCert: true and the platform client CA (httpsOptions: { key, cert, ca, requestCert: true }), ' +
        'or set tokenization.auth.mode to "trusted-proxy" when an ingress terminates mutual TLS, or to "none" for local development only.',
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<CallbackRequest>();
    if (this.#auth.mode === 'none') {
      setCallerIdentity(request, UNAUTHENTICATED);
      return true;
    }
    const certificate = this.#auth.mode === 'trusted-proxy' ? this.#forwardedCertificate(request) : this.#peerCertificate(request);
    if (!this.#allowList.allows(certificate)) {
      this.#refuse(403, NOT_ALLOWED, 'not-on-allow-list', { subject: subjectLine(certificate), fingerprint: certificate.fingerprint256 });
    }
    setCallerIdentity(request, { id: certificate.fingerprint256, subject: subjectLine(certificate) });
    return true;
  }

  #peerCertificate(request: CallbackRequest): X509Certificate {
    return verifiedPeerCertificate(socketOf(request)) ?? this.#refuse(401, MTLS_REQUIRED, 'no-verified-certificate');
  }

  /** The proxy checks come first: until they pass, the headers are the caller's own words. */
  #forwardedCertificate(request: CallbackRequest): X509Certificate {
    const auth = this.#auth;
    if (this.#trustedProxies) {
      const remoteAddress = (socketOf(request) as { remoteAddress?: string } | undefined)?.remoteAddress;
      if (!this.#trustedProxies.includes(remoteAddress)) this.#refuse(401, PROXY_REQUIRED, 'untrusted-address', { remoteAddress });
    }
    if (auth.proxySecret && !sameSecret(singleHeader(request, auth.proxySecretHeader), auth.proxySecret.reveal())) {
      this.#refuse(401, PROXY_REQUIRED, 'wrong-proxy-secret');
    }
    const forwarded = singleHeader(request, auth.certificateHeader);
    if (singleHeader(request, auth.verifyHeader) !== 'SUCCESS' || !forwarded) this.#refuse(401, PROXY_REQUIRED, 'not-verified-by-proxy');
    const certificate = readForwardedCertificate(forwarded) ?? this.#refuse(401, FORWARDED_INVALID, 'unreadable-certificate');
    if (!isCurrentlyValid(certificate)) {
      this.#refuse(401, FORWARDED_INVALID, 'certificate-not-current', { validFrom: certificate.validFrom, validTo: certificate.validTo });
    }
    return certificate;
  }

  #refuse(status: 401 | 403, message: string, reason: RefusalReason, fields: OtpLogFields = {}): never {
    let throttle = this.#refusalLogs.get(reason);
    if (!throttle) this.#refusalLogs.set(reason, (throttle = new LogThrottle(REFUSAL_LOG_INTERVAL_MS)));
    if (throttle.tryPass()) {
      this.#logger.warn('Tokenization callback caller refused', { status, reason, mode: this.#auth.mode, ...fields, refusalsNotLogged: throttle.suppressed });
    }
    throw new CallerRefusedError(status, message);
  }

  #callbacksMounted(): boolean {
    // Unknown (the guard built by hand): assume mounted rather than stay silent.
    if (!this.routes) return true;
    return this.routes.classic !== undefined || this.routes.d1 !== undefined;
  }
}

/** Node's socket of the request: Express's `request.socket`, Fastify's `request.raw.socket`. */
function socketOf(request: CallbackRequest): unknown {
  return request.raw?.socket ?? request.socket;
}

/** Constant-time comparison; hashing first makes both sides the same length, so the time says nothing about it. */
function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(secret).digest());
}
