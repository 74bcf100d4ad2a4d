import { Inject, Injectable, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'undici';
import { CM_OPTIONS } from './cm.constants.js';
import type { ResolvedCmOptions } from './cm-options.js';
import { CmError } from './cm.error.js';
import { isNeverSent, retryOnceIfNeverSent } from './cm-never-sent.js';
import { readCmAnswerText } from './cm-answer-body.js';
import { traced } from '../tracing/otp-tracing.js';

/** One raw answer from CM. */
export interface CmHttpResponse {
  readonly status: number;
  /** The body as text, cut at `CM_ANSWER_MAX_BYTES` (an error answer; a longer success answer is a `CmError`). */
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** One POST to CM. */
export interface CmHttpRequest {
  /** Which configured base URL to use. */
  readonly host: 'otp' | 'messaging';
  /** Path below the base URL, e.g. `/v1.0/message`. */
  readonly path: string;
  /** JSON body, already serialised (it may hold a code: it is never logged). */
  readonly body: string;
  /** Name of the call for errors, e.g. `OTP v2 verify`. */
  readonly api: string;
  readonly signal?: AbortSignal;
}

/**
 * The one HTTP door to CM: an undici keep-alive pool per CM origin, connect and total timeouts,
 * the caller's `AbortSignal`, and a single retry only when the request provably never left.
 * The product token is revealed here only, when the header is built.
 */
@Injectable()
export class CmHttpClient implements OnModuleDestroy, OnApplicationShutdown {
  readonly #options: ResolvedCmOptions;
  readonly #pools = new Map<string, Pool>();
  readonly #targets: Readonly<Record<CmHttpRequest['host'], Target>>;
  /** The request headers, built once: the same three on every call. */
  #headers?: Readonly<Record<string, string>>;

  constructor(@Inject(CM_OPTIONS) options: ResolvedCmOptions) {
    this.#options = options;
    this.#targets = { otp: target(this.#options.otpBaseUrl, 'otp'), messaging: target(this.#options.messagingBaseUrl, 'messaging') };
  }

  /** The resolved CM options, shared by the CM classes. */
  get options(): ResolvedCmOptions {
    return this.#options;
  }

  /**
   * POSTs JSON to CM and answers whatever status came back, its text cut at `CM_ANSWER_MAX_BYTES`;
   * throws `CmError` when no answer came (timeout, cancelled, unreachable), when a success answer
   * is larger than that, or when no token is configured.
   */
  async post(request: CmHttpRequest): Promise<CmHttpResponse> {
    const token = this.#options.productToken;
    if (!token) {
      throw new CmError(request.api, {
        reason: 'not-configured',
        status: 0,
        retryable: false,
        cmMessage: 'cm.productToken is not configured',
      });
    }
    const target = this.#targets[request.host];
    const pool = this.#pool(target.origin);
    const path = target.pathPrefix + request.path;
    // The pool bounds the call (connect timeout, then headers and body timeouts of
    // `requestTimeoutMs`); the caller's signal (the delivery's deadline) cancels it sooner. No
    // signal of our own per call: `AbortSignal.timeout` and `AbortSignal.any` cost more than the send.
    const signal = request.signal;
    // Revealed here only, into the one header object the pool sends (undici does not change it).
    const headers = (this.#headers ??= { 'content-type': 'application/json', accept: 'application/json', 'x-cm-producttoken': token.reveal() });
    return traced(target.spanName, { kind: 'client', attributes: { 'cm.api': request.api, 'server.address': target.hostname } }, async (span) => {
      try {
        const response = await retryOnceIfNeverSent(async () => {
          const answer = await pool.request({ method: 'POST', path, headers, body: request.body, signal });
          const text = await readCmAnswerText(answer, request.api);
          return { status: answer.statusCode, text, json: parseJson(text) };
        }, signal);
        span.setAttribute('http.response.status_code', response.status);
        return response;
      } catch (error) {
        throw this.#toError(request, error);
      }
    });
  }

  /** Closes every pool; pending requests finish first. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        connect: { timeout: this.#options.connectTimeoutMs },
        headersTimeout: this.#options.requestTimeoutMs,
        bodyTimeout: this.#options.requestTimeoutMs,
        keepAliveTimeout: 4_000,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  #toError(request: CmHttpRequest, error: unknown): CmError {
    // Already explained (a success answer too large to read).
    if (error instanceof CmError) return error;
    const code = (error as { code?: unknown }).code;
    if (request.signal?.aborted) return new CmError(request.api, { reason: 'cancelled', status: 0, retryable: false, cause: error });
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new CmError(request.api, { reason: 'timeout', status: 0, retryable: false, cause: error });
    }
    const neverSent = isNeverSent(error);
    return new CmError(request.api, {
      reason: 'unavailable',
      status: 0,
      retryable: neverSent,
      cmMessage: neverSent ? 'CM could not be reached' : 'the connection to CM failed before an answer',
      cause: error,
    });
  }
}

/** Where one of CM's APIs is, worked out once: a base URL split into the pool's origin and a path prefix (a base URL may carry one). */
interface Target {
  readonly origin: string;
  readonly pathPrefix: string;
  readonly hostname: string;
  readonly spanName: string;
}

function target(baseUrl: string, host: CmHttpRequest['host']): Target {
  const url = new URL(baseUrl);
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/$/, ''), hostname: url.hostname, spanName: `cm ${host}` };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
