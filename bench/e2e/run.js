// `npm run bench`: the sample app's classic sendOTP (the whole module: guards, validation,
// idempotency, contact lookup, fraud and rate controls, templates, CM client) against a bare Nest
// + Express app making the same single Business Messaging call with undici on a keep-alive pool
// (bench/e2e/baseline-app.js). Both call the same CM sandbox, in its own process, on loopback;
// the load runs here.
//
// First, idle RSS of the sample app on `npm start` defaults against the bare app. Then each store
// (in-memory, Redis) gets: a warm-up per side, idle RSS, alternating max-throughput rounds at a
// fixed number of connections (autocannon), alternating rounds at an even 500 requests/s for
// latency (open loop, bench/e2e/load.js `runPaced`), and the peak RSS (VmHWM). It prints every
// round, the medians, and each target of issue 12 met or MISSED. The exit code says whether the
// run is valid (no failed request on either side), not whether the targets were met.
//
// Options (env): BENCH_SECONDS (throughput round, default 8), BENCH_RATE_SECONDS (default 10),
// BENCH_CONNECTIONS (default 32), BENCH_RATE (default 500), BENCH_ROUNDS (default 3),
// BENCH_STORES (default "memory,redis"), BENCH_CARDS (default: enough for the rounds),
// BENCH_IDLE_SECONDS (idling on defaults, the lowest RSS of it counts, default 40: see apps.js).
// `--profile`: run the module app under `node --cpu-prof` (memory store, one round) and print its
// top frames. `--scale`: step the paced rate up on the module with Redis (bench/e2e/scale.js).
import { cpus, totalmem, release, availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { peakRssMiB, rssMiB, startProcess, stopProcess } from '../support/processes.js';
import { writeCardholders } from './cardholders.js';
import { startRedisServer } from './redis-server.js';
import { runLoad, runPaced, figures } from './load.js';
import { topFrames } from './top-frames.js';
import { CardPool, USES_PER_CARD, baselineRequests, wholeBlocks } from './card-pool.js';
import { IDLE_ROUNDS, idleOnDefaults, startBaselineApp, startModuleApp, urlOf } from './apps.js';
import { printStore, printTargets } from './report.js';
import { runScale } from './scale.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const profile = process.argv.includes('--profile');
const scale = process.argv.includes('--scale');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rateSeconds = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rate = Number(process.env.BENCH_RATE ?? 500);
const rounds = profile ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const stores = (process.env.BENCH_STORES ?? (profile ? 'memory' : 'memory,redis')).split(',');
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 40);
const idleRounds = Number(process.env.BENCH_IDLE_ROUNDS ?? IDLE_ROUNDS);
const WARMUP_SECONDS = 3;
/**
 * Requests per second the module side is not expected to exceed, to size the card pool: it makes
 * about 4,000 in memory on the 2-CPU machine of BENCHMARKS.md. Raise BENCH_CARDS on a faster one.
 */
const MAX_EXPECTED_RPS = 5000;
const CARDS = wholeBlocks(
  Number(process.env.BENCH_CARDS ?? Math.ceil(((WARMUP_SECONDS + rounds * seconds) * MAX_EXPECTED_RPS + rounds * rateSeconds * rate) / USES_PER_CARD)),
);
const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

const print = (line = '') => process.stdout.write(`${line}\n`);

async function benchStore(store, sandbox, cardholders, profileDir) {
  const redis = store === 'redis' ? await startRedisServer() : null;
  if (store === 'redis' && !redis) {
    print('redis: no redis-server binary on PATH, Redis run skipped');
    return null;
  }
  const baseline = await startBaselineApp({ sandbox });
  const app = await startModuleApp({
    sandbox,
    cardholdersFile: cardholders.file,
    redisUrl: redis?.url,
    nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  try {
    const cards = new CardPool(urlOf(app), cardholders.cards, store);
    const sides = {
      baseline: { url: urlOf(baseline), pid: baseline.child.pid, next: baselineRequests(cardholders.cards) },
      module: { url: urlOf(app), pid: app.child.pid, next: () => cards.next() },
    };
    const watch = { sandbox: sandbox.pid, ...(redis ? { redis: redis.pid } : {}) };
    const target = (side) => ({ url: sides[side].url, path: SEND_OTP, pid: sides[side].pid, nextRequest: sides[side].next, watch });
    // The module side's method ids are fetched before each run, for at most what it can send.
    let moduleRps = MAX_EXPECTED_RPS;
    const reserve = (side, requests) => (side === 'module' ? cards.reserve(requests) : undefined);
    const load = async (side, durationSeconds) => {
      await reserve(side, Math.ceil(durationSeconds * moduleRps));
      return figures(await runLoad({ ...target(side), connections, durationSeconds }));
    };
    const paced = async (side) => {
      await reserve(side, rate * rateSeconds);
      return figures(await runPaced({ ...target(side), durationSeconds: rateSeconds, rate }));
    };

    const warmUp = { baseline: await load('baseline', WARMUP_SECONDS), module: await load('module', WARMUP_SECONDS) };
    // Room for a faster measured round than the warm-up (JIT, a quieter machine), capped by the cards there are.
    moduleRps = Math.min(MAX_EXPECTED_RPS, Math.max(2000, warmUp.module.rps * 2.5));
    await sleep(1000);
    const idle = { baseline: rssMiB(sides.baseline.pid), module: rssMiB(sides.module.pid) };

    const throughput = { baseline: [], module: [] };
    const fixed = { baseline: [], module: [] };
    // Alternate which side goes first, so neither always runs on a warmer machine.
    const order = (round) => (round % 2 === 0 ? ['baseline', 'module'] : ['module', 'baseline']);
    for (let round = 0; round < rounds; round += 1) {
      for (const side of order(round)) throughput[side].push(await load(side, seconds));
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const side of order(round)) fixed[side].push(await paced(side));
    }
    const peak = { baseline: peakRssMiB(sides.baseline.pid), module: peakRssMiB(sides.module.pid) };
    return { store, idle, peak, warmUp, throughput, fixed };
  } finally {
    await stopProcess(app.child);
    await stopProcess(baseline.child);
    await redis?.stop();
  }
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
print(
  scale
    ? 'Scale: the highest even rate one sample-app replica holds at p99 <= 50 ms, CM sandbox on loopback'
    : 'End-to-end sendOTP benchmark: sample app (nestjs-otp-delivery) vs bare Nest + Express + undici baseline, CM sandbox on loopback',
);
print(`machine: ${cpu}, ${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, node ${process.version}`);

const sandboxProcess = await startProcess(join(root, 'bench/support/sandbox-process.js'), { ready: /^(\{.*\})$/m });
const sandbox = { ...JSON.parse(sandboxProcess.match[1]), pid: sandboxProcess.child.pid };
// A missed target is a finding to record, not a crash; failed requests mean the run itself is invalid (exit 1).
try {
  if (scale) {
    process.exitCode = await runScale({ sandbox, print });
  } else {
    print(
      `load per side and store: warm-up ${WARMUP_SECONDS} s; ${rounds} alternating round(s) of ${seconds} s at max throughput ` +
        `(autocannon, ${connections} connections); ${rounds} alternating round(s) of ${rateSeconds} s at an even ${rate} req/s ` +
        `(open loop, latency from each request's scheduled start); medians over the rounds, every round printed; ${CARDS} synthetic cards`,
    );
    const cardholders = writeCardholders(CARDS);
    const profileDir = profile ? mkdtempSync(join(tmpdir(), 'otp-bench-prof-')) : undefined;
    try {
      const idle = profile ? undefined : await idleOnDefaults({ sandbox, cardholdersFile: cardholders.file, settleSeconds: idleSeconds, rounds: idleRounds });
      const results = [];
      for (const store of stores) {
        const result = await benchStore(store, sandbox, cardholders, profileDir);
        if (result) {
          results.push(result);
          printStore(result, { print, connections, rate, seconds, rateSeconds });
        }
      }
      process.exitCode = printTargets(results, idle, { print, rate, cards: CARDS, idleSeconds });
      if (profileDir) {
        const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
        print();
        if (file) {
          print(`CPU profile of the module app: ${join(profileDir, file)}`);
          for (const line of topFrames(join(profileDir, file), 25)) print(line);
        } else print('no CPU profile was written');
      }
    } finally {
      rmSync(cardholders.dir, { recursive: true, force: true });
    }
  }
} finally {
  await stopProcess(sandboxProcess.child);
}
