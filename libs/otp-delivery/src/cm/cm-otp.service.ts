import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SecretValue } from '../common/secret-value.js';
import type { OtpCallOptions, OtpEngine, OtpGenerated, OtpGenerateRequest, OtpVerification } from '../otp/otp-engine.interface.js';
import type { ResolvedOtpEngineOptions } from '../otp/otp-engine-options.js';
import { OTP_ENGINE_OPTIONS } from '../otp/otp.constants.js';
import { CmHttpClient } from './cm-http.client.js';
import { V1_GENERATE_PATH, V1_VERIFY_PATH, v1GenerateBody, v1Generated, v1Verification } from './cm-otp-v1.api.js';
import { V2_CREATE_PATH, v2CreateBody, v2Generated, v2Verification, v2VerifyPath } from './cm-otp-v2.api.js';
import { checkOtpRequest, type OtpRequestDefaults } from './cm-otp.validation.js';
import { CmValidationError } from './cm.error.js';
import { OtpSendControls } from '../limits/otp-send-controls.service.js';
import { OtpStore } from '../store/otp-store.interface.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { LogThrottle } from '../logging/log-throttle.js';

const CODE = /^\d{4,10}$/;

/** Where v1 ids that verified are remembered (v1 answers only `valid`, so CM cannot say "already verified"). */
const V1_VERIFIED_PREFIX = 'cm:v1:verified:';
/** How long: CM's longest v1 expiry (`expirySeconds` is at most 3600), so the mark outlives every code. */
const V1_VERIFIED_TTL_MS = 3_600_000;

/**
 * CM.com's OTP API behind the `OtpEngine` contract: CM generates, sends and verifies the code.
 * `cm.otpApiVersion` picks v1 (`/v1.0/otp/...`) or v2 (`/otp/v2/otp`). Inputs are checked against
 * CM's limits first; a bad one throws `CmValidationError` and nothing is sent. Every generate is a
 * send, so it passes the fraud and rate controls (`OtpSendControls`) as deliveries do.
 *
 * @example
 * const otp = await cmOtp.generate({ to: '+81 90-1234-5678', message: 'Your code: {code}' });
 * const result = await cmOtp.verify(otp.id, enteredCode);
 * if (!result.verified) console.log(result.reason); // 'wrong-code' | 'expired' | ...
 */
@Injectable()
export class CmOtpService implements OtpEngine {
  readonly #defaults: OtpRequestDefaults;
  readonly #logger = new OtpLogger(CmOtpService.name);
  readonly #storeWarnings = new LogThrottle(60_000);

  /** @internal Created by Nest's DI. */
  constructor(
    @Inject(CmHttpClient) private readonly http: CmHttpClient,
    @Inject(OTP_ENGINE_OPTIONS) otp: ResolvedOtpEngineOptions,
    private readonly controls: OtpSendControls,
    /** Remembers verified v1 ids, shared by every replica. */
    @Inject(OtpStore) private readonly store: OtpStore,
  ) {
    this.#defaults = { digits: otp.digits, expirySeconds: otp.expirySeconds };
  }

  /** The OTP API version in use. */
  get version(): 'v1' | 'v2' {
    return this.http.options.otpApiVersion;
  }

  /**
   * Asks CM to create and send a code. CM's rules are checked first (`CmValidationError`, nothing
   * counted), then the send goes through the fraud and rate controls like every other send
   * (`OtpSendRefusedError`, nothing sent).
   */
  async generate(request: OtpGenerateRequest, options: OtpCallOptions = {}): Promise<OtpGenerated> {
    const version = this.version;
    const checked = checkOtpRequest(request, version, this.http.options, this.#defaults);
    await this.controls.admit({
      channel: checked.channel,
      kind: checked.channel === 'email' ? 'email' : 'phone',
      // The destination as CM will get it (read with `cm.defaultRegion`), not as given: the
      // limits read a national number with their own region, which may be another country.
      destination: checked.to,
      cardRef: request.cardRef,
      clientId: request.clientId,
    });
    const now = new Date();
    if (version === 'v1') {
      const response = await this.http.post({ host: 'otp', path: V1_GENERATE_PATH, body: JSON.stringify(v1GenerateBody(checked)), api: 'OTP v1 generate', signal: options.signal });
      return v1Generated(response, checked, now, this.http.options.productToken);
    }
    const response = await this.http.post({ host: 'otp', path: V2_CREATE_PATH, body: JSON.stringify(v2CreateBody(checked)), api: 'OTP v2 create', signal: options.signal });
    return v2Generated(response, checked, now, this.http.options.productToken);
  }

  /**
   * Asks CM whether `code` is right for `id`. A code that is not 4 to 10 digits cannot be right:
   * it answers `wrong-code` without a call. With v1, an id that verified once answers
   * `already-verified` without a call (remembered in the `OtpStore` for an hour, CM's longest
   * expiry), and an id CM answers 404 (or 400 naming the id) for answers `not-found`.
   */
  async verify(id: string, code: string | SecretValue, options: OtpCallOptions = {}): Promise<OtpVerification> {
    // `.` and `..` would be dot segments of v2's path: a proxy would send the call to another endpoint.
    if (typeof id !== 'string' || id.trim() === '' || id.length > 128 || id === '.' || id === '..') throw new CmValidationError('id', 'must be the id generate answered');
    const plain = code instanceof SecretValue ? code.reveal() : code;
    if (typeof plain !== 'string' || !CODE.test(plain)) return { verified: false, reason: 'wrong-code' };
    if (this.version === 'v1') return this.#verifyV1(id, plain, options);
    const response = await this.http.post({ host: 'otp', path: v2VerifyPath(id), body: JSON.stringify({ code: plain }), api: 'OTP v2 verify', signal: options.signal });
    return v2Verification(response, plain, this.http.options.productToken);
  }

  /**
   * v1 says only `valid`: a used code is `false` like a wrong one. The store tells them apart. It
   * only refines the reason: while it is unreachable CM's verdict is answered as it is.
   */
  async #verifyV1(id: string, code: string, options: OtpCallOptions): Promise<OtpVerification> {
    const key = V1_VERIFIED_PREFIX + createHash('sha256').update(id).digest('base64url');
    if (await this.#bestEffort(() => this.store.get(key))) return { verified: false, reason: 'already-verified' };
    const response = await this.http.post({ host: 'otp', path: V1_VERIFY_PATH, body: JSON.stringify({ id, code }), api: 'OTP v1 verify', signal: options.signal });
    const verification = v1Verification(response, code, this.http.options.productToken);
    if (verification.verified) await this.#bestEffort(() => this.store.set(key, '1', V1_VERIFIED_TTL_MS));
    return verification;
  }

  async #bestEffort<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      if (this.#storeWarnings.tryPass()) {
        this.#logger.warn('OTP store unavailable: a reused OTP v1 code answers wrong-code instead of already-verified', {
          warningsNotLogged: this.#storeWarnings.suppressed,
          error,
        });
      }
      return undefined;
    }
  }
}
