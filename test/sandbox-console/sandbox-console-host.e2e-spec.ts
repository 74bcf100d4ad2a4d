import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/**
 * One request over node:http with the Host header given as is (fetch sets its own), or none at
 * all. An event stream is read up to its headers and closed.
 */
function send(baseUrl: string, method: string, path: string, host: string | undefined, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, method, path, setHost: false, headers: { ...(host === undefined ? {} : { host }), ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } },
      (response: IncomingMessage) => {
        const contentType = response.headers['content-type'];
        if (contentType?.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode!, contentType, body: '' });
          return;
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, contentType, body: text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The status code of a request written by hand (a repeated Host; none, in HTTP/1.0). */
function sendRaw(baseUrl: string, head: string): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(Number(url.port), url.hostname, () => socket.end(`${head}\r\n\r\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1])));
    socket.on('error', reject);
  });
}

/** What a page at http://evil.example:9090, rebound to this machine, makes its browser send. */
const REBOUND_PAGE = { origin: 'http://evil.example:9090', 'sec-fetch-site': 'same-origin' };

/** A route of each kind: the page, its files, the API's reads, the live stream, and actions. */
const CONSOLE_ROUTES: [string, string, string?][] = [
  ['GET', '/sandbox'],
  ['GET', '/sandbox/console.js'],
  ['GET', '/sandbox/console.css'],
  ['GET', '/sandbox/api/state'],
  ['GET', '/sandbox/api/events'],
  ['GET', '/sandbox/api/emails/m1/html'],
  ['POST', '/sandbox/api/faults/drop-next', '{"count":3}'],
  ['POST', '/sandbox/api/try/digitization', '{"issuerCardRefId":"card-gb-0001","walletProviderId":"APPLE_PAY"}'],
  ['DELETE', '/sandbox/api/faults'],
];

/**
 * DNS rebinding: a page on a name its attacker controls points that name at 127.0.0.1 once
 * loaded, and its browser then sends the console `Host: evil.example:9090` with a matching Origin,
 * same-origin to the browser. The console answers only Host names that cannot be rebound (an IP
 * address, `localhost`, `*.localhost`) or that `SANDBOX_CONSOLE_HOSTS` lists; the management
 * app's probes, metrics and docs answer any Host.
 */
describe('the sandbox console refuses requests addressed to a host name it does not know', () => {
  let app: SampleAppProcess;
  let port: string;

  beforeAll(async () => {
    app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '', SANDBOX_CONSOLE_HOSTS: 'Console.Dev.Example, sandbox.internal' });
    port = new URL(app.managementUrl).port;
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
  });

  const at = (method: string, path: string, host: string | undefined, headers: Record<string, string> = {}, body?: string) => send(app.managementUrl, method, path, host, headers, body);
  const faults = async () => (JSON.parse((await at('GET', '/sandbox/api/state', `localhost:${port}`)).body) as { faults: { dropNext: number } }).faults;

  it('answers 403 to every console route under a rebound name, with a fixed message naming SANDBOX_CONSOLE_HOSTS, and does nothing', async () => {
    for (const [method, path, body] of CONSOLE_ROUTES) {
      const answer = await at(method, path, 'evil.example:9090', REBOUND_PAGE, body);
      expect([`${method} ${path}`, answer.status]).toEqual([`${method} ${path}`, 403]);
      expect(answer.contentType).toMatch(/^application\/json/);
      const message = (JSON.parse(answer.body) as { message: string }).message;
      expect(message).toBe('The sandbox console answers requests addressed to localhost, a *.localhost name or an IP address only; list other host names in SANDBOX_CONSOLE_HOSTS');
      expect(answer.body).not.toContain('evil');
    }
    expect((await faults()).dropNext).toBe(0);
  });

  it('answers 403 to other names, a missing Host and a repeated one', async () => {
    for (const host of ['evil.example', 'localhost.evil.example', 'console.dev.example.evil', '127.0.0.1.nip.io', 'localhost:9090@evil.example', '::1', '[evil]', '0x7f.1', '']) {
      expect([host, (await at('GET', '/sandbox/api/state', host)).status]).toEqual([host, 403]);
    }
    // HTTP/1.1 requires a Host: Node refuses a request without one before the app sees it; HTTP/1.0 gets to the console.
    expect((await at('GET', '/sandbox/api/state', undefined)).status).toBe(400);
    expect(await sendRaw(app.managementUrl, 'GET /sandbox/api/state HTTP/1.0')).toBe(403);
    expect(await sendRaw(app.managementUrl, `GET /sandbox/api/state HTTP/1.0\r\nHost: localhost:${port}`)).toBe(200);
    // Node's `headers.host` keeps the first of two lines: either order is refused.
    expect(await sendRaw(app.managementUrl, `GET /sandbox/api/state HTTP/1.1\r\nHost: localhost:${port}\r\nHost: evil.example:9090\r\nConnection: close`)).toBe(403);
    expect(await sendRaw(app.managementUrl, `GET /sandbox/api/state HTTP/1.1\r\nHost: evil.example:9090\r\nHost: localhost:${port}\r\nConnection: close`)).toBe(403);
    expect(await sendRaw(app.managementUrl, `GET /sandbox/api/state HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close`)).toBe(200);
  });

  it('answers localhost, *.localhost, IPv4 and IPv6 addresses, and the names SANDBOX_CONSOLE_HOSTS lists, in any case', async () => {
    const hosts = [`localhost:${port}`, 'LOCALHOST', `dev.localhost:${port}`, 'dev.localhost', `127.0.0.1:${port}`, `10.1.2.3:${port}`, `[::1]:${port}`, '[::1]', `console.dev.example:${port}`, 'CONSOLE.dev.example', `sandbox.internal:${port}`];
    for (const host of hosts) {
      expect([host, (await at('GET', '/sandbox', host)).status]).toEqual([host, 200]);
      expect([host, (await at('GET', '/sandbox/api/state', host)).status]).toEqual([host, 200]);
    }
    const events = await at('GET', '/sandbox/api/events', `[::1]:${port}`);
    expect([events.status, events.contentType]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);
    // The console's own page in a browser sends its own Origin: the actions still answer it.
    const own = `console.dev.example:${port}`;
    const action = await at('POST', '/sandbox/api/faults/drop-next', own, { origin: `http://${own}`, 'sec-fetch-site': 'same-origin' }, '{"count":2}');
    expect([action.status, JSON.parse(action.body)]).toEqual([200, expect.objectContaining({ dropNext: 2 })]);
    expect((await at('DELETE', '/sandbox/api/faults', `localhost:${port}`)).status).toBe(200);
    expect((await faults()).dropNext).toBe(0);
  });

  it('leaves probes, metrics and docs to any Host (Kubernetes sends the pod IP or any name)', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs-json']) {
      expect([path, (await at('GET', path, 'evil.example:9090')).status]).toEqual([path, 200]);
      expect([path, (await at('GET', path, 'otp-sample-7d9f.otp.svc.cluster.local:9090')).status]).toEqual([path, 200]);
    }
  });
});

describe('SANDBOX_CONSOLE_HOSTS', () => {
  it('stops the boot on an entry that is not a host name, naming the variable and never its value', async () => {
    const message = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '', SANDBOX_CONSOLE_HOSTS: 'dev.localhost,http://evil-3319.example:9090' }).then(
      async (started) => {
        await started.stop();
        return 'the sample app started';
      },
      (error: Error) => error.message,
    );
    expect(message).toMatch(/^sample app exited at startup with code 1:\n/);
    expect(message).toMatch(/SANDBOX_CONSOLE_HOSTS must hold host names/);
    expect(message).not.toContain('evil-3319');
  });
});
