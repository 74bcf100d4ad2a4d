import { Redis } from 'ioredis';
import { IdvMethodsService } from 'nestjs-otp-delivery';
import { describeRedis, freePort, spawnRedisServer } from '../support/redis.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from '../tokenization/support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

/** Records the commands clients send (`MONITOR`), leaving out those a script runs inside Redis. */
async function watchCommands(url: string): Promise<{ commands: string[]; stop(): Promise<void> }> {
  const commands: string[] = [];
  const client = new Redis(url);
  const monitor = await client.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua') commands.push(String(args[0]).toLowerCase());
  });
  return {
    commands,
    stop: async () => {
      monitor.disconnect();
      await client.quit();
    },
  };
}

const tally = (commands: readonly string[]) => commands.reduce<Record<string, number>>((counts, command) => ({ ...counts, [command]: (counts[command] ?? 0) + 1 }), {});

describeRedis(
  'the Redis commands of a sendOTP',
  () => {
    let server: Awaited<ReturnType<typeof spawnRedisServer>>;
    let harness: CallbackHarness;

    beforeAll(async () => {
      // A server of its own: no other suite's commands in its statistics.
      server = await spawnRedisServer(await freePort());
      if (!server) throw new Error('redis-server did not start');
      harness = await startCallbackApp({ options: (s, m) => ({ ...baseOptions(s, m), store: { type: 'redis', redisUrl: server!.url } }) });
    });

    afterAll(async () => {
      await harness?.close();
      await server?.stop();
    });

    it('is one script for the claim and the limits, then one SET of the outcome', async () => {
      const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
      const send = (correlationId: string, otpValue: string) =>
        postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId: sms!.id }, classicHeaders(correlationId));
      // The first call loads the script (EVALSHA answers NOSCRIPT, then EVAL).
      expect((await send('round-trips-0', '100000')).status).toBe(200);
      const watch = await watchCommands(server!.url);

      for (let i = 1; i <= 5; i++) expect((await send(`round-trips-${i}`, `10000${i}`)).status).toBe(200);
      // A sequential repeat: the claim finds the outcome (nothing counted), one GET reads it.
      expect(await send('round-trips-5', '100005')).toEqual({ status: 200, body: {} });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const seen = tally(watch.commands);
      await watch.stop();

      expect(seen).toEqual({ evalsha: 6, set: 5, get: 1 });
      expect(harness.sandbox.outbox).toHaveLength(6);
    });
  },
  { needsBinary: true },
);
