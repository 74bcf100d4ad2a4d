// One client's run, in its own process: warm-up, then N sends at a fixed concurrency.
// Prints one JSON line: throughput, latency percentiles, CPU per send, RSS.
// Clients: `cm` (CmMessagingClient), `undici` (the same JSON through a bare undici pool: the limit
// a client on undici can reach), `sdk` (@cmdotcom/text-sdk).
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

const [client, url, token, totalArg, concurrencyArg] = process.argv.slice(2);
const total = Number(totalArg);
const concurrency = Number(concurrencyArg);
const WARMUP = Math.min(2000, total);
/**
 * A different Dutch mobile number per send, as an issuer's traffic has: one repeated number would
 * measure a cache of parsed numbers, not a send.
 */
const subscriber = (i) => String(10_000_000 + (i % 1_000_000));
const text = 'Your verification code is 482915. It expires in 5 minutes.';

/**
 * The same request `CmMessagingClient` makes with the options below (sender `OTP`, 8 parts at
 * most, no validity), on a pool configured like `CmHttpClient`'s, with CM's success rule; no
 * phone parsing (the `00` numbers are built before the run), no validation, no AbortSignal.
 */
async function bareUndici() {
  const { Pool } = await import('undici');
  const base = new URL(url);
  const path = `${base.pathname.replace(/\/$/, '')}/v1.0/message`;
  const pool = new Pool(base.origin, { connections: concurrency, connect: { timeout: 2000 }, headersTimeout: 5000, bodyTimeout: 5000, keepAliveTimeout: 4_000 });
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-cm-producttoken': token };
  const numbers = Array.from({ length: Math.max(total, WARMUP) }, (_, i) => `00316${subscriber(i)}`);
  const accepted = (status, body) => {
    if (status !== 200) return false;
    const answer = JSON.parse(body);
    return answer?.errorCode === 0 && Array.isArray(answer.messages) && answer.messages.length > 0 && answer.messages.every((m) => m?.status === 'Accepted');
  };
  return {
    send: async (i) => {
      const msg = {
        from: 'OTP',
        to: [{ number: numbers[i] }],
        body: { type: 'auto', content: text },
        reference: `bench${i}`,
        allowedChannels: ['SMS'],
        minimumNumberOfMessageParts: 1,
        maximumNumberOfMessageParts: 8,
      };
      const answer = await pool.request({ method: 'POST', path, headers, body: JSON.stringify({ messages: { msg: [msg] } }) });
      const body = await answer.body.text();
      if (!accepted(answer.statusCode, body)) throw new Error(`bare undici send refused: HTTP ${answer.statusCode}`);
    },
    close: () => pool.close(),
  };
}

async function makeSender() {
  if (client === 'cm') {
    // Internals of the library (Nest creates them in an app): loaded from its build.
    const { CmHttpClient } = await import('../../libs/otp-delivery/dist/cm/cm-http.client.js');
    const { CmMessagingClient } = await import('../../libs/otp-delivery/dist/cm/cm-messaging.client.js');
    const { resolveCmOptions } = await import('../../libs/otp-delivery/dist/cm/cm-options.js');
    const http = new CmHttpClient(resolveCmOptions({ productToken: token, messagingBaseUrl: url, connections: concurrency }));
    const messaging = new CmMessagingClient(http);
    return { send: (i) => messaging.send({ to: `+316${subscriber(i)}`, text, reference: `bench${i}` }), close: () => http.close() };
  }
  if (client === 'cm-parsed') {
    // As the module's SMS channel calls it: the number parsed (once per send, upstream) is handed
    // over, so the client does what the bare side does: build, send, check. Parsed before the run,
    // as the bare side's `00` numbers are built before it.
    const { CmHttpClient } = await import('../../libs/otp-delivery/dist/cm/cm-http.client.js');
    const { CmMessagingClient } = await import('../../libs/otp-delivery/dist/cm/cm-messaging.client.js');
    const { resolveCmOptions } = await import('../../libs/otp-delivery/dist/cm/cm-options.js');
    const { normalizePhoneNumber } = await import('../../libs/otp-delivery/dist/common/phone-number.js');
    const http = new CmHttpClient(resolveCmOptions({ productToken: token, messagingBaseUrl: url, connections: concurrency }));
    const messaging = new CmMessagingClient(http);
    const numbers = Array.from({ length: Math.max(total, WARMUP) }, (_, i) => normalizePhoneNumber(`+316${subscriber(i)}`));
    return { send: (i) => messaging.send({ to: numbers[i], text, reference: `bench${i}` }), close: () => http.close() };
  }
  if (client === 'undici') return bareUndici();
  const { MessageApiClient } = await import('@cmdotcom/text-sdk');
  const sdk = new MessageApiClient(token);
  return {
    send: async (i) => {
      // The SDK builds a new MessagesApi per message; its basePath property is the only way to
      // point it somewhere other than gw.cmtelecom.com.
      const message = sdk.createMessage();
      message.api.basePath = url;
      const response = await message.setMessage([`00316${subscriber(i)}`], 'OTP', text, `bench${i}`).setAllowedChannels(['SMS']).send();
      if (response.data.errorCode !== 0) throw new Error(`SDK send refused: ${response.data.errorCode}`);
    },
    close: async () => {},
  };
}

async function run(sender, count) {
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await sender.send(i);
      latencies[i] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { elapsedMs: performance.now() - started, latencies };
}

const sender = await makeSender();
const loadedRss = process.memoryUsage().rss;
await run(sender, WARMUP); // warm-up: JIT, sockets
globalThis.gc?.();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const cpuBefore = process.cpuUsage();
const { elapsedMs, latencies } = await run(sender, total);
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await sender.close();
latencies.sort();
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
process.stdout.write(
  `${JSON.stringify({
    client,
    total,
    concurrency,
    throughput: (total / elapsedMs) * 1000,
    p50: pct(50),
    p99: pct(99),
    // The whole client process (user + system), the sampler's 20 ms ticks included.
    cpuUsPerSend: (cpu.user + cpu.system) / total,
    loadedRssMb: loadedRss / 1048576,
    peakRssMb: peakRss / 1048576,
  })}\n`,
);
