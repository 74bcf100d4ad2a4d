import { createServer } from 'node:net';

/** One answer of the app under test. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * POSTs JSON (or a raw string) and answers status and parsed body. `limitMs` bounds the whole
 * exchange: an answer that does not come within it fails the test with a message saying so,
 * which is how "answers within the deadline" is checked without measuring time in an assertion.
 */
export async function post(url: string, body: unknown, headers: Record<string, string>, limitMs = 10_000): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(limitMs),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error(`no answer from ${new URL(url).pathname} within ${limitMs} ms`, { cause: error });
    throw error;
  }
  const text = await response.text();
  return { status: response.status, body: text ? parseOrText(text) : undefined };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A loopback port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Waits until `condition` holds, polling; fails after `limitMs`. */
export async function until(condition: () => boolean, limitMs: number, what: string): Promise<void> {
  const end = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
