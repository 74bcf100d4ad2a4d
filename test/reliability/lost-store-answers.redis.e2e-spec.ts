import { jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { IdvMethodsService, OtpStore, type IdvMethod, type OtpChannel, type OtpChannelMessage, type OtpChannelReceipt } from 'nestjs-otp-delivery';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from '../tokenization/support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
/** Short, so a stall of Redis outlasts it. */
const COMMAND_TIMEOUT_MS = 200;

/** Deliveries the channel below made, and what it does before it answers (a test's hook). */
const delivered: string[] = [];
let beforeAnswer: () => Promise<unknown> = async () => undefined;

/**
 * An issuer's SMS channel (replaced through `channels`, as the README shows) that lets a test act
 * at the one moment that matters: after the code left, before the outcome is written.
 */
@Injectable()
class HookedSmsChannel implements OtpChannel {
  readonly name = 'sms';

  async deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    delivered.push(message.deliveryId);
    await beforeAnswer();
    return { acceptedAt: new Date() };
  }
}

/**
 * Redis answers lost while Redis itself stays up (a stall past the command timeout, a dropped
 * connection): the module must not count, claim or send as if the step had not run when it did.
 */
describeRedis('store answers lost to a stall or a dropped connection', () => {
  let server: Awaited<ReturnType<typeof spawnRedisServer>>;
  let admin: Redis;
  let harness: CallbackHarness;
  let sms: IdvMethod;

  beforeAll(async () => {
    server = await spawnRedisServer(await freePort());
    if (!server) throw new Error('redis-server did not start');
    admin = new Redis(server.url);
    harness = await startCallbackApp({
      options: (sandbox, smtp) => {
        const base = baseOptions(sandbox, smtp);
        return {
          ...base,
          channels: { sms: HookedSmsChannel },
          store: { type: 'redis', redisUrl: server!.url, commandTimeoutMs: COMMAND_TIMEOUT_MS },
          limits: { ...base.limits, perCard: { max: 2, windowSeconds: 3600 } },
        };
      },
    });
    [sms] = (await harness.app.get(IdvMethodsService).forCard('card-gb-0001')) as [IdvMethod];
  });

  beforeEach(async () => {
    await admin.flushall();
    delivered.length = 0;
    beforeAnswer = async () => undefined;
  });

  afterAll(async () => {
    await harness?.close();
    admin?.disconnect();
    await server?.stop();
  });

  const send = (correlationId: string, otpValue: string, expirationDate?: string) =>
    postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-gb-0001', otpValue, otpMethodId: sms.id, expirationDate }, classicHeaders(correlationId));
  const valuesOf = async (pattern: string) => Promise.all((await admin.keys(pattern)).map((key) => admin.get(key)));

  it('undoes a claim that ran after its answer timed out: the retry of the 921 sends at once, counted once', async () => {
    expect((await send('stall-1', '111111')).status).toBe(200);
    // Redis holds every write for 800 ms: the claim of the next send times out, then runs.
    await admin.call('CLIENT', 'PAUSE', '800', 'WRITE');
    expect(await send('stall-2', '222222')).toEqual({ status: 500, body: { responseCode: 921, errorMessage: 'Unexpected server error' } });
    await sleep(800 + 4 * COMMAND_TIMEOUT_MS);

    // The late claim was undone with what it counted: no claim waits out its lease, the card used one of two.
    expect(await valuesOf('otp:tok:send:*')).toEqual([expect.stringMatching(/^\{/)]);
    expect(await valuesOf('otp:rl:card:*')).toEqual(['1']);
    const started = Date.now();
    expect(await send('stall-2', '222222')).toEqual({ status: 200, body: {} });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(delivered).toHaveLength(2);
    expect(await valuesOf('otp:rl:card:*')).toEqual(['2']);
  });

  it('stores the outcome of a sent code although the connection dropped before the write', async () => {
    // The app's connection is cut the moment the code has left: ioredis refuses commands while it reconnects.
    beforeAnswer = () => admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    expect(await send('drop-1', '333333')).toEqual({ status: 200, body: {} });
    beforeAnswer = async () => undefined;

    for (let waited = 0; waited < 3_000 && (await valuesOf('otp:tok:send:*'))[0]?.startsWith('pending:'); waited += 50) await sleep(50);
    expect(await valuesOf('otp:tok:send:*')).toEqual(['{"status":200,"body":{}}']);
    // The platform's retry is answered from it: one SMS.
    expect(await send('drop-1', '333333')).toEqual({ status: 200, body: {} });
    expect(delivered).toHaveLength(1);
  });

  it('answers an expired code 911 when Redis does not answer, and writes nothing for it', async () => {
    // Not 921: the platform would retry a request that can never succeed.
    await admin.call('CLIENT', 'PAUSE', '600', 'ALL');
    expect(await send('expired-1', '444444', new Date(Date.now() - 60_000).toISOString())).toEqual({
      status: 400,
      body: { responseCode: 911, errorMessage: 'The OTP has expired' },
    });
    await sleep(700);
    expect(await admin.keys('otp:*')).toEqual([]);
    expect(delivered).toHaveLength(0);
  });

  it('undoes nothing for a claim the client refused to send while reconnecting', async () => {
    const store = harness.app.get<RedisOtpStore>(OtpStore);
    const undos = jest.spyOn(store, 'deleteIf');
    const abandons = jest.spyOn(store, 'abandonClaim');
    try {
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      for (let waited = 0; waited < 1_000 && store.client.status === 'ready'; waited += 5) await sleep(5);
      expect(store.client.status).not.toBe('ready');
      expect((await send('refused-1', '555555')).body).toEqual({ responseCode: 921, errorMessage: 'Unexpected server error' });
      await sleep(300);
      // Nothing reached Redis: no undo loop per request (an outage would start one for every send).
      expect(undos).not.toHaveBeenCalled();
      expect(abandons).not.toHaveBeenCalled();
    } finally {
      undos.mockRestore();
      abandons.mockRestore();
    }
  });
});
