import { connect } from 'node:net';

/** What came back: the status and the body as text. */
export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends one HTTP/1.1 request written by hand, for what fetch will not send: a header on two
 * lines, a request target in absolute form (`POST http://host/path`), a transfer coding besides
 * `chunked`. `head` is the request line and headers without the final blank line; `Connection:
 * close` is added, and `body` is sent as one chunk when `chunked`, else with its length.
 */
export function rawHttp(baseUrl: string, head: string[], body?: string, options: { chunked?: boolean } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const bytes = body === undefined ? undefined : Buffer.from(body);
  const framing = bytes === undefined ? [] : options.chunked ? [] : [`Content-Length: ${bytes.length}`];
  const payload =
    bytes === undefined ? Buffer.alloc(0) : options.chunked ? Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]) : bytes;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(Buffer.concat([Buffer.from([...head, ...framing, 'Connection: close', '', ''].join('\r\n')), payload]));
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const answer = Buffer.concat(chunks);
      const separator = answer.indexOf('\r\n\r\n');
      const headText = answer.subarray(0, Math.max(separator, 0)).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0);
      const rawBody = separator < 0 ? Buffer.alloc(0) : answer.subarray(separator + 4);
      resolve({ status, body: (/\r\ntransfer-encoding: chunked/i.test(headText) ? dechunk(rawBody) : rawBody).toString('utf8') });
    });
  });
}

/** POSTs JSON to a plain-HTTP `url`, a header given as an array going out as one line per value (fetch joins them into one). */
export async function postJsonWithLines(url: string, body: unknown, headers: Record<string, string | readonly string[]>): Promise<{ status: number; body: unknown }> {
  const { host, pathname, search } = new URL(url);
  const lines = Object.entries(headers).flatMap(([name, value]) => (typeof value === 'string' ? [value] : value).map((line) => `${name}: ${line}`));
  const answer = await rawHttp(url, [`POST ${pathname}${search} HTTP/1.1`, `Host: ${host}`, ...lines], JSON.stringify(body));
  return { status: answer.status, body: answer.body ? (JSON.parse(answer.body) as unknown) : undefined };
}

/** The body of a chunked answer. */
function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = bytes;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.subarray(0, line).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(rest.subarray(line + 2, line + 2 + size));
    rest = rest.subarray(line + 2 + size + 2);
  }
}
