import { CmStatusReports, IdvMethodsService, OtpDeliveryHealthIndicator, OtpStore, type CmDeliveryReceipt } from 'nestjs-otp-delivery';
import { baseOptions, classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

const PATH = '/cm/status-reports';
const MAX_ENTRIES = 300;
const PER_REPORT = 60;

/**
 * A caller holding the status-report secret once grew the memory store without bound: every
 * receipt of a report is a ten-minute key. Now the store stops at `store.maxEntries`, refusing
 * (921, CM retries) rather than evicting an unexpired key. `failMode: 'open'` here: a full store is
 * no outage to send through, so it refuses all the same.
 */
describe('status reports against a memory store at store.maxEntries', () => {
  let harness: CallbackHarness;
  const receipts: CmDeliveryReceipt[] = [];

  beforeAll(async () => {
    harness = await startCallbackApp({ options: (sandbox, smtp) => ({ ...baseOptions(sandbox, smtp), store: { maxEntries: MAX_ENTRIES, failMode: 'open' } }) });
    harness.app.get(CmStatusReports).receipts$.subscribe((receipt) => receipts.push(receipt));
  });
  afterAll(() => harness.close());

  const storeSize = () => (harness.app.get(OtpStore) as unknown as { size: number }).size;
  const report = (first: number) =>
    postJson(
      harness.url + PATH,
      { messages: { msg: Array.from({ length: PER_REPORT }, (_, i) => ({ to: '00819012345678', reference: `r${first + i}`, status: { code: '2' } })) } },
      { 'content-type': 'application/json', 'x-status-report-secret': STATUS_REPORT_SECRET },
    );

  it('stops at the cap: later reports answer 921 (CM retries), the store never grows past it, every receipt marked is published once', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) {
      const answer = await report(n * PER_REPORT);
      statuses.push(answer.status);
      if (answer.status !== 200) expect(answer.body).toMatchObject({ responseCode: 921 });
    }
    expect(statuses.slice(0, MAX_ENTRIES / PER_REPORT)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(MAX_ENTRIES / PER_REPORT).every((status) => status !== 200)).toBe(true);
    expect(storeSize()).toBe(MAX_ENTRIES);
    expect(receipts).toHaveLength(MAX_ENTRIES);
    expect(new Set(receipts.map((receipt) => receipt.reference)).size).toBe(MAX_ENTRIES);

    // No key was evicted to make room: a report seen before is still acknowledged and not published again.
    expect((await report(0)).status).toBe(200);
    expect(receipts).toHaveLength(MAX_ENTRIES);
  });

  it('a report cut short by the full store publishes what it marked, so the retry loses nothing', async () => {
    await harness.app.get(OtpStore).delete('tok:sr:r0:delivered');
    const before = receipts.length;
    // r0 fits again, rnew finds no room: 921, and r0 is published all the same.
    const answer = await postJson(
      harness.url + PATH,
      { messages: { msg: [{ to: '00819012345678', reference: 'r0', status: { code: '2' } }, { to: '00819012345678', reference: 'rnew', status: { code: '2' } }] } },
      { 'content-type': 'application/json', 'x-status-report-secret': STATUS_REPORT_SECRET },
    );
    expect(answer.status).not.toBe(200);
    expect(receipts.slice(before).map((receipt) => receipt.reference)).toEqual(['r0']);
    expect(storeSize()).toBe(MAX_ENTRIES);
  });

  it('a send finds no room either: refused with 921 and nothing sent, whatever the flood', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
    const sent = harness.sandbox.outbox.length;
    const answer = await postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-gb-0001', otpValue: '123456', otpMethodId: sms!.id }, classicHeaders('corr-cap-1'));
    expect(answer.body).toMatchObject({ responseCode: 921 });
    expect(harness.sandbox.outbox).toHaveLength(sent);
    expect(storeSize()).toBe(MAX_ENTRIES);
  });

  it('health: a full store is down, not degraded, even with failMode open', async () => {
    const result = await harness.app.get(OtpDeliveryHealthIndicator).checkStore();
    expect(result.store).toMatchObject({ status: 'down', failMode: 'open', message: expect.stringContaining('OTP store full') });
  });
});
