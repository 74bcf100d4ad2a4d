// One client's run, in its own process: warm-up, then N sends at a fixed concurrency.
// Prints one JSON line: throughput, latency percentiles, peak RSS.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

const [client, url, token, totalArg, concurrencyArg] = process.argv.slice(2);
const total = Number(totalArg);
const concurrency = Number(concurrencyArg);
/**
 * A different Dutch mobile number per send, as an issuer's traffic has: the library keeps the
 * last few hundred parsed numbers, and one repeated number would measure that cache, not a send.
 */
const subscriber = (i) => String(10_000_000 + (i % 1_000_000));
const text = 'Your verification code is 482915. It expires in 5 minutes.';

async function makeSender() {
  if (client === 'cm') {
    const { CmHttpClient, CmMessagingClient } = await import('nestjs-otp-delivery');
    const http = new CmHttpClient({ cm: { productToken: token, messagingBaseUrl: url, connections: concurrency } });
    const messaging = new CmMessagingClient(http);
    return { send: (i) => messaging.send({ to: `+316${subscriber(i)}`, text, reference: `bench${i}` }), close: () => http.close() };
  }
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
await run(sender, Math.min(2000, total)); // warm-up: JIT, sockets
globalThis.gc?.();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const { elapsedMs, latencies } = await run(sender, total);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await sender.close();
latencies.sort();
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
process.stdout.write(
  `${JSON.stringify({ client, total, concurrency, throughput: (total / elapsedMs) * 1000, p50: pct(50), p99: pct(99), loadedRssMb: loadedRss / 1048576, peakRssMb: peakRss / 1048576 })}\n`,
);
