// `npm run bench:scale` (`node bench/e2e/run.js --scale`): issue 12 §6, scale on paper. One
// sample-app replica (the Redis store by default) gets an even, open-loop rate that steps up
// (500, 1000, 1500, ... req/s) until p99 exceeds 50 ms, a request fails, or the rate is not
// reached; it prints every step, the highest rate that held, app and Redis CPU per send, and the
// arithmetic of BENCHMARKS.md ("Scale on paper") with these figures.
//
// Options (env): BENCH_SCALE_START (default 500), BENCH_SCALE_STEP (default 500), BENCH_SCALE_MAX
// (default 5000), BENCH_SCALE_SECONDS (per step, default 8), BENCH_SCALE_P99_MS (default 50),
// BENCH_SCALE_STORE (redis or memory, default redis), BENCH_SCALE_PEAK (the national peak, sends/s,
// default 1000), BENCH_SCALE_UTILISATION (share of the measured capacity to plan for, default 0.5).
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopProcess } from '../support/processes.js';
import { writeCardholders } from './cardholders.js';
import { startRedisServer } from './redis-server.js';
import { runLoad, runPaced, figures } from './load.js';
import { CardPool, USES_PER_CARD, wholeBlocks } from './card-pool.js';
import { startModuleApp, urlOf } from './apps.js';
import { failed, fmt } from './stats.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
const WARMUP_SECONDS = 3;
/** The warm-up runs flat out (as `npm run bench`'s): its requests are bounded by this rate, to size the cards. */
const WARMUP_MAX_RPS = 4000;
const WARMUP_CONNECTIONS = 32;
/** A step holds when at least this share of its rate was reached (the load generator shares the CPUs). */
const REACHED = 0.97;

export async function runScale({ sandbox, print }) {
  const start = Number(process.env.BENCH_SCALE_START ?? 500);
  const step = Number(process.env.BENCH_SCALE_STEP ?? 500);
  const max = Number(process.env.BENCH_SCALE_MAX ?? 5000);
  const stepSeconds = Number(process.env.BENCH_SCALE_SECONDS ?? 8);
  const p99Limit = Number(process.env.BENCH_SCALE_P99_MS ?? 50);
  const store = process.env.BENCH_SCALE_STORE ?? 'redis';
  const peak = Number(process.env.BENCH_SCALE_PEAK ?? 1000);
  const utilisation = Number(process.env.BENCH_SCALE_UTILISATION ?? 0.5);
  const rates = [];
  for (let rate = start; rate <= max; rate += step) rates.push(rate);
  const requests = WARMUP_SECONDS * WARMUP_MAX_RPS + rates.reduce((sum, rate) => sum + rate * stepSeconds, 0);
  const cardholders = writeCardholders(wholeBlocks(Math.ceil(requests / USES_PER_CARD)));
  print(
    `steps: ${rates.join(', ')} req/s, ${stepSeconds} s each (open loop, latency from each request's scheduled start); a step holds when p99 <= ${p99Limit} ms, ` +
      `no request failed and ${REACHED * 100}% of the rate was reached; ${store} store; warm-up ${WARMUP_SECONDS} s flat out (autocannon, ${WARMUP_CONNECTIONS} connections)`,
  );
  const redis = store === 'redis' ? await startRedisServer() : null;
  if (store === 'redis' && !redis) {
    print('redis: no redis-server binary on PATH, nothing measured');
    rmSync(cardholders.dir, { recursive: true, force: true });
    return 1;
  }
  const app = await startModuleApp({ sandbox, cardholdersFile: cardholders.file, redisUrl: redis?.url });
  try {
    const cards = new CardPool(urlOf(app), cardholders.cards, `scale-${store}`);
    const watch = { sandbox: sandbox.pid, ...(redis ? { redis: redis.pid } : {}) };
    const target = { url: urlOf(app), path: SEND_OTP, pid: app.child.pid, nextRequest: () => cards.next(), watch };
    const paced = async (rate, durationSeconds) => {
      await cards.reserve(rate * durationSeconds);
      return figures(await runPaced({ ...target, durationSeconds, rate }));
    };
    await cards.reserve(WARMUP_SECONDS * WARMUP_MAX_RPS);
    const warmUp = figures(await runLoad({ ...target, connections: WARMUP_CONNECTIONS, durationSeconds: WARMUP_SECONDS }));
    if (failed(warmUp) > 0) {
      print(`RUN INVALID: ${failed(warmUp)} request(s) failed in the warm-up`);
      return 1;
    }
    await sleep(1000);
    print();
    print(
      `${'rate'.padStart(6)} ${'reached'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(8)} ${'failed'.padStart(6)} ` +
        `${'app cores'.padStart(9)} ${'app us/req'.padStart(10)} ${'redis cores'.padStart(11)} ${'redis us/req'.padStart(12)} ${'sandbox/loadgen cores'.padStart(21)}  step`,
    );
    const held = [];
    for (const rate of rates) {
      const run = await paced(rate, stepSeconds);
      const ok = run.p99 <= p99Limit && failed(run) === 0 && run.rps >= REACHED * rate;
      print(
        `${String(rate).padStart(6)} ${fmt(run.rps).padStart(8)} ${fmt(run.p50, 2).padStart(7)} ${fmt(run.p90, 2).padStart(7)} ${fmt(run.p99, 2).padStart(7)} ${fmt(run.max, 1).padStart(8)} ` +
          `${String(failed(run)).padStart(6)} ${fmt(run.cpu.app, 2).padStart(9)} ${fmt(run.cpuUsPerRequest.app).padStart(10)} ${fmt(run.cpu.redis, 2).padStart(11)} ` +
          `${fmt(run.cpuUsPerRequest.redis, 1).padStart(12)} ${`${fmt(run.cpu.sandbox, 2)}/${fmt(run.cpu.loadgen, 2)}`.padStart(21)}  ${ok ? 'held' : 'NOT HELD'}`,
      );
      if (!ok) break;
      held.push({ rate, run });
      await sleep(1000);
    }
    printArithmetic({ print, held, store, p99Limit, peak, utilisation, maxTried: rates.at(-1) });
    return 0;
  } finally {
    await stopProcess(app.child);
    await redis?.stop();
    rmSync(cardholders.dir, { recursive: true, force: true });
  }
}

/** The arithmetic of BENCHMARKS.md's "Scale on paper" with this run's figures. */
function printArithmetic({ print, held, store, p99Limit, peak, utilisation, maxTried }) {
  print();
  if (held.length === 0) {
    print(`no step held: one replica does not hold the first rate at p99 <= ${p99Limit} ms on this machine`);
    return;
  }
  const best = held.at(-1);
  // CPU per send at the highest rate that held: at low rates the fixed costs (timers, Redis's own
  // cron, GC of an idle heap) weigh on each of fewer requests.
  const appUs = best.run.cpuUsPerRequest.app;
  const redisUs = best.run.cpuUsPerRequest.redis;
  print(
    `one replica held ${best.rate} sends/s at p99 <= ${p99Limit} ms (p99 ${fmt(best.run.p99, 2)} ms)` +
      `${best.rate === maxTried ? ` (the highest step tried: raise BENCH_SCALE_MAX)` : ''}, sharing the machine's CPUs with the load generator, the CM sandbox${store === 'redis' ? ' and Redis' : ''}`,
  );
  print(`app CPU per send at ${best.rate} sends/s: ${fmt(appUs)} us, so one fully busy core would serve about ${fmt(1e6 / appUs)} sends/s`);
  const replicas = Math.ceil(peak / (best.rate * utilisation));
  print(
    `a peak of ${peak} sends/s at ${utilisation * 100}% of the measured ${best.rate} sends/s per replica: ceil(${peak} / ${fmt(best.rate * utilisation)}) = ${replicas} replica(s), ` +
      `${replicas + 1} to survive the loss of one`,
  );
  if (store !== 'redis' || redisUs === undefined) return;
  const perMaster = 1e6 / redisUs;
  print(
    `redis-server CPU per send at ${best.rate} sends/s: ${fmt(redisUs, 1)} us, so one Redis (one core for commands) saturates near ${fmt(perMaster)} sends/s ` +
      `and a 3-master cluster near ${fmt(3 * perMaster)} (keys spread evenly over the slots); planned at ${utilisation * 100}%: ${fmt(perMaster * utilisation)} and ${fmt(3 * perMaster * utilisation)}`,
  );
  print(`the peak of ${peak} sends/s costs Redis ${fmt((peak * redisUs) / 1e6, 2)} cores (${fmt((peak * redisUs) / 1e4, 0)}% of one master)`);
}
