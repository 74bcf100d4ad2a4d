import { Inject, Injectable } from '@nestjs/common';
import { STATUS_REPORT_SECRET_HEADER } from 'nestjs-otp-delivery';
import { SANDBOX_CONSOLE_OPTIONS } from './sandbox-console.module-definition.js';
import type { SandboxConsoleOptions } from './sandbox-console-options.js';

/** One call the console made to the app's callbacks, as the page shows it. */
export interface HttpExchange {
  /** What the call stands for: `requestCardDigitization`, `sendOTP`, `status report`. */
  readonly label: string;
  readonly method: string;
  readonly path: string;
  /** Sent headers; secrets show as `(hidden)`. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The body sent, or its shown form when the caller masked a destination in it. */
  readonly requestBody: unknown;
  /** HTTP status; absent when no answer came. */
  readonly status?: number;
  readonly responseBody?: unknown;
  /** Why no answer came (connection refused, timeout). */
  readonly error?: string;
  readonly durationMs: number;
  /** ISO 8601. */
  readonly at: string;
}

const HIDDEN_HEADERS = new Set([STATUS_REPORT_SECRET_HEADER, 'authorization']);
/** Longer than any delivery deadline the sample app accepts (`DELIVERY_DEADLINE_MS` at most 120 s). */
const TIMEOUT_MS = 130_000;

/**
 * Calls the app's callbacks over HTTP, from the server, exactly as the platform or CM.com would
 * (so the page needs no cross-origin access), and records each call for the page.
 */
@Injectable()
export class CallbackClient {
  constructor(@Inject(SANDBOX_CONSOLE_OPTIONS) private readonly options: SandboxConsoleOptions) {}

  /** POSTs `body` as JSON; the record shows `shownBody` instead when given (a masked copy). */
  async postJson(label: string, path: string, headers: Record<string, string>, body: unknown, shownBody: unknown = body): Promise<HttpExchange> {
    const sent = { 'content-type': 'application/json', ...headers };
    const started = Date.now();
    const record = (answer: { status?: number; responseBody?: unknown; error?: string }): HttpExchange => ({
      label,
      method: 'POST',
      path,
      requestHeaders: Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, HIDDEN_HEADERS.has(name.toLowerCase()) ? '(hidden)' : value])),
      requestBody: shownBody,
      ...answer,
      durationMs: Date.now() - started,
      at: new Date(started).toISOString(),
    });
    try {
      const response = await fetch(this.#baseUrl() + path, { method: 'POST', headers: sent, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = await response.text();
      return record({ status: response.status, responseBody: parseJson(text) });
    } catch (error) {
      return record({ error: describe(error) });
    }
  }

  #baseUrl(): string {
    const { callbackBaseUrl } = this.options;
    return (typeof callbackBaseUrl === 'function' ? callbackBaseUrl() : callbackBaseUrl).replace(/\/+$/, '');
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  const cause = (error.cause as { code?: string } | undefined)?.code;
  return cause ? `${error.message} (${cause})` : error.message;
}
