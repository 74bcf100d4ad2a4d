import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';
import { classicHeaders } from '../tokenization/support/callback-app.js';

const REQUESTS = 1500;
const CONCURRENCY = 20;

/**
 * A log shipper that stops reading must not stop the app: the logs are written asynchronously,
 * so while stdout is full the event loop still answers, and the lines come out whole once the
 * reader is back.
 */
describe('the sample app while nobody reads its logs', () => {
  let app: SampleAppProcess;

  beforeAll(async () => {
    app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '' });
  });

  afterAll(async () => {
    app?.resumeStdout();
    await app?.stop();
  });

  it('keeps answering callbacks and probes with stdout full, and writes every line whole afterwards', async () => {
    const before = app.stdout().length;
    app.pauseStdout();
    let next = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (next < REQUESTS) {
        const id = next++;
        // A stalled event loop fails here, by name, rather than as the test's timeout.
        const response = await fetch(`${app.url}/issuer/igwapi/v2.0/requestCardDigitization`, {
          method: 'POST',
          headers: classicHeaders(`pipe-${id}`),
          body: JSON.stringify({ issuerCardRefId: 'card-jp-0001' }),
          signal: AbortSignal.timeout(5000),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = performance.now() - started;
    // Far more than a pipe holds (64 KiB), none of it read yet: with synchronous writes the app would be stuck by now.
    expect(app.stdout().length - before).toBeLessThan(256 * 1024);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(elapsed).toBeLessThan(REQUESTS * 20);
    const probe = performance.now();
    expect((await fetch(`${app.managementUrl}/health/live`)).status).toBe(200);
    expect(performance.now() - probe).toBeLessThan(500);

    app.resumeStdout();
    await app.waitForOutput(new RegExp(`"correlationId":"pipe-${REQUESTS - 1}"`), 15_000);
    const ids = new Set(app.logRecords().filter((record) => record.context === 'Http').map((record) => record.correlationId));
    for (let id = 0; id < REQUESTS; id++) expect(ids.has(`pipe-${id}`)).toBe(true);
  }, 60_000);
});
