import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Subject, type Observable } from 'rxjs';
import { maskDestination } from '../../common/masking.js';
import { CmSandboxMessaging } from './cm-sandbox-messaging.js';
import { CmSandboxOtp } from './cm-sandbox-otp.js';
import { isObject } from './cm-sandbox-validation.js';
import type { CmSandboxAnswer, CmSandboxFault, CmSandboxFaultState, CmSandboxMessage, CmSandboxOptions, CmSandboxRequest } from './cm-sandbox.types.js';

const V2_VERIFY = /^\/otp\/v2\/otp\/([^/]+)\/verify$/;

/**
 * A CM.com stand-in on loopback: OTP API v1 and v2 and Business Messaging, with CM's field rules,
 * status codes and bodies, an outbox of what was "sent", and fault injection. Point `cm.otpBaseUrl`
 * and `cm.messagingBaseUrl` at `sandbox.url` and use `sandbox.productToken`.
 *
 * @example
 * const sandbox = await CmSandbox.start({ log: true });
 * OtpDeliveryModule.forRoot({ cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url } });
 * // ... after the flow:
 * expect(sandbox.outbox[0].to).toBe('00819012345678');
 * await sandbox.close();
 *
 * @example
 * // Watch messages as they are "sent" (a console, a test waiting for the next SMS):
 * sandbox.messages$.subscribe((message) => console.log(message.to, message.text));
 */
export class CmSandbox {
  /** Every message "sent", oldest first. */
  readonly outbox: CmSandboxMessage[] = [];
  /** Every request seen (unless `recordRequests: false`), oldest first. */
  readonly requests: CmSandboxRequest[] = [];

  readonly #messages = new Subject<CmSandboxMessage>();
  readonly #faultChanges = new Subject<CmSandboxFaultState>();

  /**
   * Every message as it is "sent", after it joined `outbox` (hot: no replay, read `outbox` for
   * what came before). Completes on `close()`.
   */
  readonly messages$: Observable<CmSandboxMessage> = this.#messages.asObservable();

  /**
   * The fault state (see `faults`) each time it changes: set by `failNext`, `dropNext`,
   * `setLatency`, `clearFaults` or `clear`, or used up by a request. Hot; completes on `close()`.
   */
  readonly faults$: Observable<CmSandboxFaultState> = this.#faultChanges.asObservable();

  readonly #server: Server;
  readonly #tokens: ReadonlySet<string>;
  readonly #options: CmSandboxOptions;
  readonly #otp: CmSandboxOtp;
  readonly #messaging: CmSandboxMessaging;
  readonly #faults: CmSandboxFault[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #drops = 0;
  #latencyMs = 0;
  #clockOffsetMs = 0;
  #url = '';

  private constructor(options: CmSandboxOptions) {
    this.#options = options;
    const tokens = options.productTokens?.length ? options.productTokens : [randomUUID()];
    this.#tokens = new Set(tokens);
    this.productToken = tokens[0]!;
    const send = (message: CmSandboxMessage): void => this.#send(message);
    this.#otp = new CmSandboxOtp(options.maxVerifyAttempts ?? 5, send, options.maxMessages);
    this.#messaging = new CmSandboxMessaging((token) => token !== undefined && this.#tokens.has(token), send);
    this.#server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => this.#onRequest(req, res));
  }

  /** A product token the sandbox accepts. */
  readonly productToken: string;

  /** Base URL, e.g. `http://127.0.0.1:41234`, for both `otpBaseUrl` and `messagingBaseUrl`. */
  get url(): string {
    return this.#url;
  }

  /** Starts a sandbox on 127.0.0.1. */
  static async start(options: CmSandboxOptions = {}): Promise<CmSandbox> {
    const sandbox = new CmSandbox(options);
    await new Promise<void>((resolve, reject) => {
      sandbox.#server.once('error', reject);
      sandbox.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = sandbox.#server.address() as AddressInfo;
    sandbox.#url = `http://127.0.0.1:${port}`;
    return sandbox;
  }

  /** Empties the outbox, the request log, the OTP state, every pending fault, the latency and the clock offset. */
  clear(): void {
    this.outbox.length = 0;
    this.requests.length = 0;
    this.#clockOffsetMs = 0;
    this.#otp.clear();
    this.clearFaults();
  }

  /** What is injected now: the queued failures, the connections still to drop and the latency. */
  get faults(): CmSandboxFaultState {
    return { failNext: [...this.#faults], dropNext: this.#drops, latencyMs: this.#latencyMs };
  }

  /**
   * The next `count` requests answer `fault.status` with `fault.body` (a CM-shaped error body by
   * default) instead of being handled. Faults queue up in call order.
   */
  failNext(count: number, fault: CmSandboxFault): void {
    for (let i = 0; i < count; i += 1) this.#faults.push(fault);
    this.#faultsChanged();
  }

  /** Delays every answer by `ms` (0 turns it off). */
  setLatency(ms: number): void {
    this.#latencyMs = ms;
    this.#faultsChanged();
  }

  /** Forgets the queued failures and drops and turns latency off; the outbox and the OTP state stay. */
  clearFaults(): void {
    this.#faults.length = 0;
    this.#drops = 0;
    this.#latencyMs = 0;
    this.#faultsChanged();
  }

  /** Moves the sandbox's clock forward, so expiry can be tested without waiting. */
  advanceTime(ms: number): void {
    this.#clockOffsetMs += ms;
  }

  /** The next `count` requests are read, then their connection is destroyed without an answer. */
  dropNext(count: number): void {
    this.#drops += count;
    this.#faultsChanged();
  }

  /** Number of TCP connections open to the sandbox now (to check that a client keeps alive, or closed its pool). */
  openConnections(): Promise<number> {
    return new Promise((resolve, reject) => this.#server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  /**
   * @internal Lets the process exit while the sandbox still listens: `OtpDeliveryTestingModule`
   * closes it with the app, but an app that fails to boot never closes, and must not hold a test
   * runner open.
   */
  unref(): void {
    this.#server.unref();
  }

  /** Stops listening and closes every open connection. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
    this.#messages.complete();
    this.#faultChanges.complete();
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = parseBody(raw);
      const path = req.url ?? '/';
      if (this.#options.recordRequests ?? true) {
        this.requests.push({ method: req.method ?? 'GET', path, headers: { ...req.headers }, body: body.value, remotePort: req.socket.remotePort, receivedAt: new Date() });
      }
      if (this.#drops > 0) {
        this.#drops -= 1;
        this.#faultsChanged();
        req.socket.destroy();
        return;
      }
      const answer = (): void => this.#write(res, this.#answer(req.method ?? 'GET', path, req, body));
      if (this.#latencyMs <= 0) return answer();
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        answer();
      }, this.#latencyMs);
      this.#timers.add(timer);
    });
  }

  #answer(method: string, path: string, req: IncomingMessage, body: ParsedBody): CmSandboxAnswer {
    const fault = this.#faults.shift();
    if (fault) {
      this.#faultsChanged();
      return { status: fault.status, body: fault.body ?? defaultFaultBody(path, fault.status) };
    }
    if (method === 'GET' && path === '/__sandbox/outbox') return { status: 200, body: this.outbox };
    if (method !== 'POST') return { status: 404, body: { message: 'Not found' } };

    const headerToken = singleHeader(req.headers['x-cm-producttoken']);
    const now = new Date(Date.now() + this.#clockOffsetMs);
    if (path === '/v1.0/message') return this.#messaging.handle(body.json ? body.value : undefined, headerToken, now);

    const isV1 = path === '/v1.0/otp/generate' || path === '/v1.0/otp/verify';
    const v2Verify = V2_VERIFY.exec(path);
    if (!isV1 && path !== '/otp/v2/otp' && !v2Verify) return { status: 404, body: { message: 'Not found' } };
    // CM's OTP APIs do not document the unauthorised answer; 401 with a message is the common shape.
    if (headerToken === undefined || !this.#tokens.has(headerToken)) {
      return { status: 401, body: isV1 ? { status: 401, message: 'Invalid product token' } : { errorCode: 1000, message: 'Invalid product token' } };
    }
    if (!body.json || !isObject(body.value)) {
      return { status: 400, body: isV1 ? { status: 400, message: 'Invalid request' } : { errorCode: 1001, message: 'Invalid request' } };
    }
    if (path === '/v1.0/otp/generate') return this.#otp.generateV1(body.value, now);
    if (path === '/v1.0/otp/verify') return this.#otp.verifyV1(body.value, now);
    if (v2Verify) return this.#otp.verifyV2(decodeURIComponent(v2Verify[1]!), body.value, now);
    return this.#otp.createV2(body.value, now);
  }

  #write(res: ServerResponse, answer: CmSandboxAnswer): void {
    const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  #send(message: CmSandboxMessage): void {
    this.outbox.push(message);
    if (this.outbox.length > (this.#options.maxMessages ?? Infinity)) this.outbox.shift();
    if (this.#options.log) {
      process.stdout.write(
        `[CM SANDBOX] ${message.api} ${message.channel} to ${maskDestination(message.to)} from ${message.from}` +
          ` (${message.parts} part(s), ${message.encoding}, ref ${message.reference}): ${message.text}\n`,
      );
    }
    this.#messages.next(message);
  }

  #faultsChanged(): void {
    this.#faultChanges.next(this.faults);
  }
}

interface ParsedBody {
  readonly json: boolean;
  readonly value: unknown;
}

function parseBody(raw: string): ParsedBody {
  if (raw === '') return { json: false, value: undefined };
  try {
    return { json: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { json: false, value: raw };
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function defaultFaultBody(path: string, status: number): unknown {
  if (path === '/v1.0/message') return { details: 'Sandbox injected failure', errorCode: status >= 500 ? 500 : 999, messages: [] };
  if (path.startsWith('/v1.0/otp')) return { status, message: 'Sandbox injected failure' };
  return { errorCode: status >= 500 ? 1000 : 1001, message: 'Sandbox injected failure' };
}
