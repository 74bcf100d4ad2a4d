import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the hostile CM received. */
export interface HostileCmRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent (it holds the product token with `cm.tokenInBody`). */
  readonly body: string;
}

/** Answers one request; the test decides what CM says. */
export type HostileCmAnswer = (request: HostileCmRequest, res: ServerResponse) => void;

/**
 * A stand-in for CM.com on loopback that answers what a test tells it to: the hostile answers the
 * sandbox never gives (an echoed product token, an HTML page quoting the headers, an endless body).
 */
export class HostileCm {
  readonly requests: HostileCmRequest[] = [];
  /** What the next requests are answered; a plain 200 `{}` until a test sets it. */
  answer: HostileCmAnswer = (_request, res) => sendJson(res, 200, {});

  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(request);
      this.answer(request, res);
    });
  });

  private constructor() {}

  static async start(): Promise<HostileCm> {
    const hostile = new HostileCm();
    await new Promise<void>((resolve) => hostile.#server.listen(0, '127.0.0.1', resolve));
    return hostile;
  }

  /** Where it listens: the base URL to give `cm.messagingBaseUrl` and `cm.otpBaseUrl`. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), 'application/json');
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** How a streamed answer ended on the server's side. */
export interface StreamedAnswer {
  /** Bytes handed to the socket before the client went away (or all of them). */
  readonly written: number;
  /** False when the client closed the connection before the whole answer was written. */
  readonly finished: boolean;
}

/**
 * Writes `head`, then `fill` until `totalBytes` are written or the client hangs up, minding
 * back-pressure so the server does not buffer the whole answer itself. With `declareLength` the
 * answer says its length; without, it is chunked. Resolves once the answer or the connection ends.
 */
export function streamAnswer(res: ServerResponse, status: number, head: string, totalBytes: number, options: { declareLength?: boolean; tail?: string } = {}): Promise<StreamedAnswer> {
  const tail = options.tail ?? '';
  const piece = Buffer.alloc(64 * 1024, 'x');
  res.writeHead(status, { 'content-type': 'application/json', ...(options.declareLength ? { 'content-length': totalBytes } : {}) });
  return new Promise((resolve) => {
    let written = 0;
    res.on('close', () => resolve({ written, finished: res.writableFinished }));
    const write = (): void => {
      if (written === 0) {
        res.write(head);
        written += Buffer.byteLength(head);
      }
      while (!res.destroyed && written < totalBytes - tail.length) {
        const size = Math.min(piece.length, totalBytes - tail.length - written);
        written += size;
        if (!res.write(size === piece.length ? piece : piece.subarray(0, size))) return void res.once('drain', write);
      }
      if (res.destroyed) return;
      written += tail.length;
      res.end(tail);
    };
    write();
  });
}
