import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpSink } from '../delivery/support/smtp-sink.js';
import { describeRedis } from '../support/redis.js';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';
import { classicHeaders, postJson } from '../tokenization/support/callback-app.js';

const CLASSIC = '/issuer/igwapi/v2.0';
const METHOD_ID_SECRET = 'replicas-test-secret-shared-by-both-0001';
/** What must never appear in a log line: the cardholder's phone number and email in full, in any spelling. */
const FULL_DESTINATIONS = ['+819012345678', '819012345678', '9012345678', '090-1234-5678', 'taro.yamada@example.jp'];

/** Times a probe: its status, body and how long it took. */
async function probe(url: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, ms: performance.now() - started };
}

/** Retries `check` until it passes, up to `timeoutMs`. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * The sample app deployed as an operator would run it: two replicas (built app, own processes) with
 * the same environment on one real Redis, a CM.com (the sandbox, reached over HTTP with a product
 * token, shared by both) and an SMTP server.
 */
describeRedis('two sample-app replicas on one Redis', (redis) => {
  let cm: CmSandbox;
  let smtp: SmtpSink;
  let replicas: [SampleAppProcess, SampleAppProcess];
  const codes: string[] = [];

  beforeAll(async () => {
    [cm, smtp] = await Promise.all([CmSandbox.start(), SmtpSink.start()]);
    const env = {
      CM_PRODUCT_TOKEN: cm.productToken,
      CM_OTP_URL: cm.url,
      CM_MESSAGING_URL: cm.url,
      SMTP_URL: smtp.url,
      REDIS_URL: redis().url,
      OTP_METHOD_ID_SECRET: METHOD_ID_SECRET,
      CM_SENDER: 'AcmeBank',
      // Fresh checks on every probe, and a quick background round, so CM's outage shows within the test.
      HEALTH_CACHE_TTL_MS: '0',
      DEPENDENCY_CHECK_INTERVAL_MS: '1000',
    };
    replicas = await Promise.all([startSampleApp(env), startSampleApp(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.stop()));
    await Promise.all([cm?.close(), smtp?.close()]);
  });

  const smsMethodFrom = async (replica: SampleAppProcess, correlationId: string): Promise<string> => {
    const decision = await postJson(`${replica.url}${CLASSIC}/requestCardDigitization`, { issuerCardRefId: 'card-jp-0001' }, classicHeaders(correlationId));
    expect(decision.status).toBe(200);
    return (decision.body as { idvMethodList: { id: string; type: string }[] }).idvMethodList.find((method) => method.type === 'otpBySMS')!.id;
  };

  it('accepts on one replica the method id the other handed out, and the SMS names the issuer after CM_SENDER', async () => {
    const [first, second] = replicas;
    const otpMethodId = await smsMethodFrom(first, 'replica-flow-1');
    codes.push('305172');
    const sent = await postJson(`${second.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '305172', otpMethodId }, classicHeaders('replica-flow-1'));
    expect(sent).toEqual({ status: 200, body: {} });
    expect(cm.outbox.map((message) => message.text)).toEqual([expect.stringMatching(/^【AcmeBank】認証コード305172。/)]);
  });

  it('sends one SMS for a duplicate sendOTP sent to both replicas at once', async () => {
    const [first, second] = replicas;
    const otpMethodId = await smsMethodFrom(second, 'replica-flow-2');
    const body = { issuerCardRefId: 'card-jp-0001', otpValue: '860214', otpMethodId };
    codes.push('860214');
    // CM holds the first request, so the duplicate arrives while it is in flight.
    cm.setLatency(400);
    try {
      const answers = await Promise.all([first, second].map((replica) => postJson(`${replica.url}${CLASSIC}/sendOTP`, body, classicHeaders('replica-flow-2'))));
      expect(answers).toEqual([
        { status: 200, body: {} },
        { status: 200, body: {} },
      ]);
    } finally {
      cm.setLatency(0);
    }
    expect(cm.outbox.filter((message) => message.text.includes('860214'))).toHaveLength(1);
  });

  it('serves health and metrics on the management port only', async () => {
    for (const replica of replicas) {
      for (const path of ['/health', '/health/ready', '/metrics', '/docs-json', '/sandbox']) {
        const response = await fetch(replica.url + path);
        await response.body?.cancel();
        expect([path, response.status]).toEqual([path, 404]);
      }
      expect((await probe(`${replica.managementUrl}/health/ready`)).body).toMatchObject({ status: 'ok', details: { store: { status: 'up', failMode: 'closed' } } });
      expect((await probe(`${replica.managementUrl}/health/live`)).status).toBe(200);
      const metrics = await (await fetch(`${replica.managementUrl}/metrics`)).text();
      expect(metrics).toMatch(/^otp_dependency_up\{dependency="cm"\} 1$/m);
      expect(metrics).toMatch(/^otp_dependency_up\{dependency="smtp"\} 1$/m);
      expect(metrics).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    }
    // Two SMS in all: the first flow on the second replica, the duplicate on whichever won the claim
    // (a replica that sent nothing has no such line yet).
    const sent = await Promise.all(replicas.map(async (replica) => /otp_delivery_deliveries_total\{channel="sms",outcome="sent"\} (\d+)/.exec(await (await fetch(`${replica.managementUrl}/metrics`)).text())?.[1] ?? '0'));
    expect(sent.map(Number).reduce((total, count) => total + count, 0)).toBe(2);
  });

  it('stays ready while CM.com is down, and says so in /health/dependencies and the gauges, each probe within 1 s', async () => {
    await cm.close();
    for (const replica of replicas) {
      const readiness = await probe(`${replica.managementUrl}/health/ready`);
      expect(readiness).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(readiness.ms).toBeLessThan(1000);
      const dependencies = await probe(`${replica.managementUrl}/health/dependencies`);
      expect(dependencies).toMatchObject({ status: 503, body: { error: { cm: { status: 'down' } }, details: { smtp: { status: 'up' }, store: { status: 'up' } } } });
      expect(dependencies.ms).toBeLessThan(1000);
      await eventually(async () => expect(await (await fetch(`${replica.managementUrl}/metrics`)).text()).toMatch(/^otp_dependency_up\{dependency="cm"\} 0$/m));
      await replica.waitForOutput(/"context":"DependencyMonitor","dependency":"cm","status":"down"[^\n]*"msg":"dependency down"/);
    }
  });

  it('logs one JSON object per line on both replicas, the correlation id on the lines of a request, and no code, token or full destination', async () => {
    for (const replica of replicas) {
      // The access line of the last call each replica answered is written.
      await replica.waitForOutput(/"correlationId":"replica-flow-2"[^\n]*"route":"\/issuer\/igwapi\/v2.0\/sendOTP"/);
      const records = replica.logRecords();
      expect(replica.stderr()).toBe('');
      expect(records.length).toBeGreaterThan(20);
      const flow = records.filter((record) => record.correlationId === 'replica-flow-2');
      expect(flow.filter((record) => record.msg === 'request answered').map((record) => [record.method, record.route, record.status])).toEqual(
        expect.arrayContaining([['POST', '/issuer/igwapi/v2.0/sendOTP', 200]]),
      );
      const text = replica.stdout();
      for (const secret of [...codes, cm.productToken, METHOD_ID_SECRET, ...FULL_DESTINATIONS]) expect(text).not.toContain(secret);
    }
    // The replica that sent the first flow's SMS said so, with the flow's correlation id and the number masked.
    expect(replicas[1].logRecords().find((record) => record.correlationId === 'replica-flow-1' && record.msg === 'OTP sent for a tokenization callback')).toMatchObject({
      channel: 'sms',
      destinationMasked: '********5678',
    });
  });

  it('closes both replicas on SIGTERM, exit code 0', async () => {
    expect(await Promise.all(replicas.map((replica) => replica.stop()))).toEqual([0, 0]);
  });
});
