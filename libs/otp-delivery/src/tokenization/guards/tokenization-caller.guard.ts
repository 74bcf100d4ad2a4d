import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OtpLogger } from '../../logging/otp-logger.js';
import type { TLSSocket } from 'node:tls';
import { TOKENIZATION_OPTIONS } from '../tokenization.constants.js';
import type { ResolvedTokenizationOptions } from '../tokenization-options.resolver.js';
import { CallerRefusedError } from '../errors/caller-refused.error.js';

interface CallbackRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly socket?: unknown;
  /** Fastify keeps Node's request here. */
  readonly raw?: { readonly socket?: unknown };
}

/**
 * The default caller authentication of the classic and D1 callbacks (`tokenization.auth.mode`):
 * - `mtls`: the connection carries a client certificate that Node verified against the CA given
 *   to `httpsOptions.ca` (`socket.authorized`). A plain-HTTP app refuses every call.
 * - `trusted-proxy`: the ingress's verification header says `SUCCESS` and the certificate header
 *   is present.
 * - `none`: every caller passes (local development).
 * A refused caller gets 401 before the body is read and nothing is sent. Replace it through
 * `{ provide: OTP_CALLER_GUARD, useClass: YourGuard }` (e.g. to check the certificate subject).
 */
@Injectable()
export class TokenizationCallerGuard implements CanActivate {
  constructor(@Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions) {
    if (options.auth.mode === 'none') {
      new OtpLogger('OtpTokenizationCallbacks').warn(
        'tokenization.auth.mode is "none": the tokenization callbacks accept any caller. Use it only for local development.',
      );
    }
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<CallbackRequest>();
    const auth = this.options.auth;
    if (auth.mode === 'none') return true;
    if (auth.mode === 'trusted-proxy') {
      const verified = request.headers[auth.verifyHeader];
      const certificate = request.headers[auth.certificateHeader];
      if (verified === 'SUCCESS' && typeof certificate === 'string' && certificate.length > 0) return true;
      throw new CallerRefusedError(401, 'A verified client certificate is required');
    }
    const socket = (request.raw?.socket ?? request.socket) as Partial<TLSSocket> | undefined;
    const certificate = socket?.authorized === true && typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    if (certificate && Object.keys(certificate).length > 0) return true;
    throw new CallerRefusedError(401, 'A verified client certificate is required');
  }
}
