import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';

const recorder = resolve(import.meta.dirname, '../support/record-imports.mjs');
const STATUS_REPORT_SECRET = 'status-report-secret-lazy-deps-01';

/**
 * What the sample app leaves unloaded until it is needed (BENCHMARKS.md, "Memory"): the XML parser of
 * CM.com's status reports until the first XML report, @nestjs/swagger until the first request for the
 * docs, pino-pretty when it logs JSON, and the second copy of libphonenumber-js always. Every file the
 * process loads is recorded by test/support/record-imports.mjs, as in test/package/module-loads.
 */
describe('the sample app loads the XML parser, swagger and the pretty printer only when it needs them', () => {
  let app: SampleAppProcess;
  let dir: string;
  let loadedFile: string;
  const loaded = (pkg: string) => readFileSync(loadedFile, 'utf8').split('\n').some((line) => line.includes(`/node_modules/${pkg}/`));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loaded-modules-'));
    loadedFile = join(dir, 'loaded.txt');
    app = await startSampleApp(
      { CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '', LOG_FORMAT: 'json', CM_STATUS_REPORT_SECRET: STATUS_REPORT_SECRET, LOADED_MODULES_LOG: loadedFile },
      ['--import', recorder],
    );
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records what it loads (the recorder works: undici and libphonenumber-js are there from the start)', () => {
    expect(loaded('undici')).toBe(true);
    expect(loaded('libphonenumber-js')).toBe(true);
  });

  it('sends an SMS code without loading fast-xml-parser or pino-pretty', async () => {
    const headers = { 'content-type': 'application/json', 'x-correlation-id': 'lazy-deps-1', 'x-issuer-id': 'ISSUER0001' };
    const post = (path: string, body: unknown) => fetch(`${app.url}/issuer/igwapi/v2.0/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const decision = (await (await post('requestCardDigitization', { issuerCardRefId: 'card-jp-0001' })).json()) as { idvMethodList: Array<{ id: string }> };
    const sms = await post('sendOTP', { issuerCardRefId: 'card-jp-0001', otpValue: '305172', otpMethodId: decision.idvMethodList[0]!.id, walletProviderId: 'APPLE_PAY' });
    expect(sms.status).toBe(200);
    expect(loaded('fast-xml-parser')).toBe(false);
    expect(loaded('pino-pretty')).toBe(false);
  });

  it('loads @nestjs/swagger with the first request for the docs, and serves them', async () => {
    expect(loaded('@nestjs/swagger')).toBe(false);
    const document = await fetch(`${app.managementUrl}/docs-json`);
    expect(document.status).toBe(200);
    expect(Object.keys(((await document.json()) as { paths: Record<string, unknown> }).paths)).toContain('/issuer/igwapi/v2.0/sendOTP');
    expect(loaded('@nestjs/swagger')).toBe(true);
    expect((await fetch(`${app.managementUrl}/docs`)).status).toBe(200);
  });

  it('holds one copy of libphonenumber-js: the CommonJS build class-validator requires, not its ES build as well', () => {
    expect(loaded('libphonenumber-js/build')).toBe(true);
    expect(loaded('libphonenumber-js/es6')).toBe(false);
  });

  it('loads fast-xml-parser with the first XML status report, and reads it', async () => {
    const xml = '<?xml version="1.0"?><MESSAGES><MSG><REFERENCE>0123456789abcdef0123</REFERENCE><STATUS><CODE>200</CODE></STATUS><TO>0081901234****</TO></MSG></MESSAGES>';
    const answer = await fetch(`${app.url}/cm/status-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-status-report-secret': STATUS_REPORT_SECRET },
      body: xml,
    });
    expect(answer.status).toBeLessThan(300);
    expect(loaded('fast-xml-parser')).toBe(true);
  });
});
