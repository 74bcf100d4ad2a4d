import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';

/** `npm start` on embedded defaults: no CM.com account, no SMTP server, no Redis. */
describe('the sample issuer app on embedded defaults', () => {
  let app: SampleAppProcess;

  beforeAll(async () => {
    app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '' });
  });

  afterAll(async () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('serves readiness, liveness and the dependencies with 200 on the management port', async () => {
    const readiness = await fetch(`${app.managementUrl}/health/ready`);
    expect(readiness.status).toBe(200);
    // Neither port names the server's framework.
    expect(readiness.headers.get('x-powered-by')).toBeNull();
    expect(await readiness.json()).toMatchObject({ status: 'ok', details: { store: { status: 'up' } } });
    expect(await (await fetch(`${app.managementUrl}/health`)).json()).toMatchObject({ status: 'ok', details: { store: { status: 'up' } } });
    expect((await fetch(`${app.managementUrl}/health/live`)).status).toBe(200);
    const dependencies = await fetch(`${app.managementUrl}/health/dependencies`);
    expect(dependencies.status).toBe(200);
    expect(await dependencies.json()).toMatchObject({ details: { cm: { status: 'up' }, smtp: { status: 'up' }, store: { status: 'up' } } });
  });

  it('serves the documentation like the rest of the management port: no framework named, only the page\'s own files, a fixed 404', async () => {
    for (const path of ['/docs', '/docs-json', '/docs-yaml', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js']) {
      const response = await fetch(app.managementUrl + path);
      await response.body?.cancel();
      expect([path, response.status, response.headers.get('x-powered-by')]).toEqual([path, 200, null]);
    }
    // SwaggerModule serves its UI package's folder: its package.json, or a path quoted back in a 404.
    for (const path of ['/docs/package.json', '/docs/%3Cscript%3Ealert(1)%3C%2Fscript%3E']) {
      const response = await fetch(app.managementUrl + path);
      expect([path, response.status, response.headers.get('x-powered-by'), await response.json()]).toEqual([path, 404, null, { statusCode: 404, error: 'Not Found', message: 'No route for this method and path' }]);
    }
  });

  it('serves nothing but the callbacks on the callback port: no probe, metrics, documentation or console there', async () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/health/dependencies', '/metrics', '/docs', '/docs-json', '/sandbox', '/sandbox/api/state']) {
      const response = await fetch(app.url + path);
      await response.body?.cancel();
      expect([path, response.status]).toEqual([path, 404]);
    }
    // The console is there, on the management port, with the callbacks' own OpenAPI document.
    expect((await fetch(`${app.managementUrl}/sandbox`)).status).toBe(200);
    // Its card list is the callbacks' own resolver's.
    const state = (await (await fetch(`${app.managementUrl}/sandbox/api/state`)).json()) as { cards: Array<{ issuerCardRefId: string; label: string }> };
    expect(state.cards).toEqual([
      { issuerCardRefId: 'card-jp-0001', label: 'card-jp-0001 ending 4242 (ja-JP)' },
      { issuerCardRefId: 'card-gb-0001', label: 'card-gb-0001 ending 1881 (en-GB)' },
      { issuerCardRefId: 'card-gb-0002', label: 'card-gb-0002 ending 5100 (en-GB)' },
    ]);
    const document = (await (await fetch(`${app.managementUrl}/docs-json`)).json()) as { paths: Record<string, { post?: { parameters?: { name: string }[] } }> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/issuer/igwapi/v2.0/sendOTP', '/issuer/igwapi/v2.0/requestCardDigitization', '/cm/status-reports']));
    // The issuer's own route (@TokenizationCallback) documents the headers its guards require.
    expect(document.paths['/issuer/igwapi/v2.0/requestCardDigitization']!.post!.parameters!.map((parameter) => parameter.name)).toEqual(['x-correlation-id', 'x-issuer-id']);
    expect(Object.keys(document.paths).filter((path) => /health|metrics|sandbox/.test(path))).toEqual([]);
  });

  it('runs a whole step-up: requestCardDigitization, sendOTP by SMS and email, codes delivered unchanged', async () => {
    const headers = { 'content-type': 'application/json', 'x-correlation-id': 'sample-flow-1', 'x-issuer-id': 'ISSUER0001' };
    const post = (path: string, body: unknown) => fetch(`${app.url}/issuer/igwapi/v2.0/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    const decision = (await (await post('requestCardDigitization', { issuerCardRefId: 'card-jp-0001' })).json()) as { levelOfTrust: string; idvMethodList: unknown };
    expect(decision).toMatchObject({ levelOfTrust: 'yellow' });
    const methods = decision.idvMethodList as Array<{ id: string; type: string; value: string }>;
    expect(methods.map((m) => [m.type, m.value])).toEqual([
      ['otpBySMS', '********5678'],
      ['otpByEmail', 'ta*********@example.jp'],
    ]);

    const sms = await post('sendOTP', { issuerCardRefId: 'card-jp-0001', otpValue: '305172', otpMethodId: methods[0]!.id, walletProviderId: 'APPLE_PAY' });
    expect([sms.status, await sms.json()]).toEqual([200, {}]);
    const sandboxUrl = /CM\.com: SANDBOX at (http:\/\/[^ ]+)/.exec(app.output())?.[1];
    const outbox = (await (await fetch(`${sandboxUrl}/__sandbox/outbox`)).json()) as Array<{ to: string; text: string }>;
    expect(outbox).toEqual([expect.objectContaining({ to: '00819012345678', text: expect.stringContaining('305172') })]);

    const email = await post('sendOTP', { issuerCardRefId: 'card-jp-0001', otpValue: '417283', otpMethodId: methods[1]!.id, walletProviderId: 'APPLE_PAY' });
    expect(email.status).toBe(200);
    await app.waitForOutput(/\[EMAIL OUTBOX\] not sent \(sandbox\) to=ta\*+@example\.jp/);
  });

  it('reads JSON bodies only: a form-encoded sendOTP is refused in the Thales shape; answers carry no ETag and no X-Powered-By', async () => {
    const form = await fetch(`${app.url}/issuer/igwapi/v2.0/sendOTP`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-correlation-id': 'sample-form-1', 'x-issuer-id': 'ISSUER0001' },
      body: 'issuerCardRefId=card-jp-0001&otpValue=305172&otpMethodId=sAAAAAAAAAAAAAAAA',
    });
    expect(form.status).toBe(400);
    expect(form.headers.get('etag')).toBeNull();
    expect(form.headers.get('x-powered-by')).toBeNull();
    expect(await form.json()).toMatchObject({ responseCode: 112, errorMessage: expect.stringContaining('content-type') });
  });

  it('serves Prometheus metrics on the management port: the deliveries it made, the dependency gauges and the process metrics', async () => {
    const text = await (await fetch(`${app.managementUrl}/metrics`)).text();
    expect(text).toMatch(/otp_delivery_deliveries_total\{channel="sms",outcome="sent"\} 1/);
    expect(text).toMatch(/^otp_dependency_up\{dependency="cm"\} 1$/m);
    expect(text).toMatch(/^otp_dependency_up\{dependency="store"\} 1$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('delivers to the English sample cardholder in English, inside the sample allow-list of countries', async () => {
    const headers = { 'content-type': 'application/json', 'x-correlation-id': 'sample-flow-2', 'x-issuer-id': 'ISSUER0001' };
    const post = (path: string, body: unknown) => fetch(`${app.url}/issuer/igwapi/v2.0/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const decision = (await (await post('requestCardDigitization', { issuerCardRefId: 'card-gb-0001' })).json()) as { idvMethodList: Array<{ id: string; type: string }> };
    const smsMethod = decision.idvMethodList.find((method) => method.type === 'otpBySMS');

    const sms = await post('sendOTP', { issuerCardRefId: 'card-gb-0001', otpValue: '00098765', otpMethodId: smsMethod?.id, walletProviderId: 'GOOGLE_PAY' });
    expect([sms.status, await sms.json()]).toEqual([200, {}]);
    const sandboxUrl = /CM\.com: SANDBOX at (http:\/\/[^ ]+)/.exec(app.output())?.[1];
    const outbox = (await (await fetch(`${sandboxUrl}/__sandbox/outbox`)).json()) as Array<{ to: string; text: string }>;
    expect(outbox.at(-1)).toEqual(expect.objectContaining({ to: '00447400123456', text: expect.stringMatching(/00098765.*Google Pay|Google Pay.*00098765/s) }));
  });

  it('logs one JSON object per line off a terminal, with the correlation id on the lines of a request', async () => {
    await app.waitForOutput(/"correlationId":"sample-flow-2"[^\n]*"route":"\/issuer\/igwapi\/v2.0\/sendOTP"/);
    const records = app.logRecords();
    expect(app.stderr()).toBe('');
    const flow = records.filter((record) => record.correlationId === 'sample-flow-1');
    // The access line of each of the three calls, and the library's own lines of the sends.
    expect(flow.filter((record) => record.msg === 'request answered').map((record) => [record.route, record.status])).toEqual([
      ['/issuer/igwapi/v2.0/requestCardDigitization', 200],
      ['/issuer/igwapi/v2.0/sendOTP', 200],
      ['/issuer/igwapi/v2.0/sendOTP', 200],
    ]);
    expect(flow.filter((record) => record.msg === 'OTP sent for a tokenization callback').map((record) => [record.channel, record.destinationMasked])).toEqual([
      ['sms', '********5678'],
      ['email', 'ta*********@example.jp'],
    ]);
    expect(records.find((record) => typeof record.msg === 'string' && record.msg.startsWith('listening on'))).toMatchObject({ level: 'info', context: 'SampleApp' });
    // An access line says what an operator needs and nothing of the request's content.
    for (const access of records.filter((record) => record.context === 'Http')) {
      expect(Object.keys(access).sort()).toEqual(['context', 'correlationId', 'durationMs', 'hostname', 'level', 'method', 'msg', 'pid', 'route', 'status', 'time']);
    }
  });

  it('answers a malformed JSON body on the management port with a fixed message, never quoting it', async () => {
    const answer = await fetch(`${app.managementUrl}/sandbox/api/faults/latency`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ms": "+819012345678' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' });
  });

  it('masks a correlation id that holds a phone number, a PAN or an email address, in the access line and the library\'s', async () => {
    const ids = { '+819012345678': '****5678', '4111111111111111': '****1111', 'taro.yamada@example.jp': 'ta*********@example.jp' };
    for (const id of Object.keys(ids)) {
      const headers = { 'content-type': 'application/json', 'x-correlation-id': id, 'x-issuer-id': 'ISSUER0001' };
      const answer = await fetch(`${app.url}/issuer/igwapi/v2.0/sendOTP`, { method: 'POST', headers, body: JSON.stringify({ issuerCardRefId: 'card-jp-0001', otpValue: '592817', otpMethodId: 'sAAAAAAAAAAAAAAAA' }) });
      expect(answer.status).toBe(400);
    }
    await app.waitForOutput(/"correlationId":"ta\*+@example\.jp"[^\n]*"route":"\/issuer\/igwapi\/v2.0\/sendOTP"/);
    for (const masked of Object.values(ids)) {
      const lines = app.logRecords().filter((record) => record.correlationId === masked);
      expect(lines.map((record) => record.context).sort()).toEqual(['Http', 'OtpTokenizationCallbacks']);
    }
    for (const id of Object.keys(ids)) expect(app.output()).not.toContain(id);
  });

  it('closes both ports and every connection on SIGTERM and exits on its own with code 0, every line written out', async () => {
    const code = await app.stop();
    expect(app.output()).toContain('SIGTERM received, closing');
    expect(app.output()).not.toContain('still open after');
    expect(code).toBe(0);
    expect(app.logRecords().at(-1)).toMatchObject({ context: 'SampleApp', msg: 'closed' });
  });
});

describe('the sample issuer app with LOG_FORMAT=pretty', () => {
  it('prints readable lines, one record per line head, with its context', async () => {
    const app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '', LOG_FORMAT: 'pretty' });
    try {
      expect(app.stdout()).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \[SampleApp\] listening on http:\/\/localhost:\d+ \(callbacks\), management on/m);
      expect(app.stdout()).not.toMatch(/^\{"level"/m);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  });
});

describe('the sample issuer app with a bad environment', () => {
  it('refuses to boot with one JSON line naming every bad variable, never a value, and exits 1', async () => {
    const env = {
      ISSUER_ID: 'short',
      PORT: 'not-a-port',
      REDIS_URL: 'http://nope',
      TRUSTED_PROXIES: '10.0.0.0/8,not-a-cidr-3571',
      LOG_LEVEL: 'chatty',
      PROXY_SECRET: 'too-short-proxy-secret-9182',
    };
    const message = await startSampleApp(env).then(
      () => 'the sample app started',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/ISSUER_ID must be longer than or equal to 10 characters/);
    expect(message).toMatch(/PORT must/);
    expect(message).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(message).toMatch(/TRUSTED_PROXIES must hold IPv4 or IPv6 CIDRs/);
    expect(message).toMatch(/LOG_LEVEL must be one of/);
    expect(message).toMatch(/TRUSTED_PROXIES, PROXY_SECRET apply only with AUTH_MODE=trusted-proxy/);
    for (const value of ['not-a-cidr-3571', 'too-short-proxy-secret-9182', 'chatty', 'http://nope']) expect(message).not.toContain(value);
    expect(message).toMatch(/^sample app exited at startup with code 1:\n/);
    const lines = message.slice(message.indexOf('\n') + 1).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'fatal', msg: expect.stringMatching(/^Invalid environment/), problems: expect.arrayContaining([expect.stringMatching(/^PORT must/)]) });
  });
});
