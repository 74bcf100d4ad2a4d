// `npm run bench`: the sample app's classic sendOTP (the whole module: guards, validation,
// idempotency, contact lookup, fraud and rate controls, templates, CM client) against a bare Nest
// app making the same single Business Messaging call with plain fetch (bench/e2e/baseline-app.js).
// Both call the same CM sandbox, in its own process, on loopback; the load runs here. Each store
// (in-memory, Redis) gets: a warm-up per side, alternating max-throughput rounds at a fixed number
// of connections (autocannon), then alternating rounds per side at an even 500 requests/s for
// latency (open loop, bench/e2e/load.js `runPaced`).
//
// Options (env): BENCH_SECONDS (throughput round, default 8), BENCH_RATE_SECONDS (default 10),
// BENCH_CONNECTIONS (default 32), BENCH_RATE (default 500), BENCH_ROUNDS (default 2),
// BENCH_STORES (default "memory,redis"). `--profile`: run the module app under `node --cpu-prof`
// (memory store, one round) and print its top frames.
import { cpus, totalmem, release, availableParallelism } from 'node:os';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMiB, startProcess, stopProcess } from '../support/processes.js';
import { writeCardholders } from './cardholders.js';
import { startRedisServer } from './redis-server.js';
import { runLoad, runPaced, figures } from './load.js';
import { topFrames } from './top-frames.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const profile = process.argv.includes('--profile');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rateSeconds = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rate = Number(process.env.BENCH_RATE ?? 500);
const rounds = profile ? 1 : Number(process.env.BENCH_ROUNDS ?? 2);
const stores = (process.env.BENCH_STORES ?? (profile ? 'memory' : 'memory,redis')).split(',');
const WARMUP_SECONDS = 3;
/** Each card is used at most this often per app (the default per-card and per-destination limits are 5 per hour). */
const USES_PER_CARD = 4;
/** Requests per second no side of this bench is expected to exceed, to size the card pool. */
const MAX_EXPECTED_RPS = 3000;
/** Enough cards for every module request of one app: warm-up, throughput rounds and fixed-rate rounds. */
const CARDS = Number(
  process.env.BENCH_CARDS ?? Math.ceil(((WARMUP_SECONDS + rounds * seconds) * MAX_EXPECTED_RPS + rounds * rateSeconds * rate) / USES_PER_CARD),
);
const ISSUER_ID = 'ISSUER0001';
const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

const print = (line = '') => process.stdout.write(`${line}\n`);

/** Asks the sample app for each card's SMS method id, as the platform's requestCardDigitization would. */
async function fetchMethodIds(url, cards) {
  const ids = new Array(cards.length);
  let next = 0;
  const worker = async () => {
    while (next < cards.length) {
      const index = next++;
      const response = await fetch(`${url}/issuer/igwapi/v2.0/requestCardDigitization`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-issuer-id': ISSUER_ID, 'x-correlation-id': `bench-rcd-${index}` },
        body: JSON.stringify({ issuerCardRefId: cards[index].issuerCardRefId }),
      });
      const body = await response.json();
      const sms = body.idvMethodList?.find((method) => /sms/i.test(method.type));
      if (!sms) throw new Error(`no SMS method for ${cards[index].issuerCardRefId}: ${response.status} ${JSON.stringify(body)}`);
      ids[index] = sms.id;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

/** Request factories: every module request has its own correlation id and a card used at most USES_PER_CARD times. */
function moduleRequests(cards, methodIds, tag) {
  let sequence = 0;
  return () => {
    const index = sequence % cards.length;
    if (sequence >= cards.length * USES_PER_CARD) throw new Error('out of cards: raise BENCH_CARDS');
    sequence += 1;
    return {
      body: JSON.stringify({
        issuerCardRefId: cards[index].issuerCardRefId,
        otpValue: String(100000 + (sequence % 900000)),
        otpMethodId: methodIds[index],
        walletProviderId: 'APPLE_PAY',
      }),
      headers: { 'x-issuer-id': ISSUER_ID, 'x-correlation-id': `bench-${tag}-${sequence}` },
    };
  };
}

function baselineRequests(cards) {
  let sequence = 0;
  return () => {
    sequence += 1;
    return { body: JSON.stringify({ phone: cards[sequence % cards.length].phone00, otpValue: String(100000 + (sequence % 900000)) }), headers: {} };
  };
}

const signed = (ms) => `${ms >= 0 ? '+' : ''}${ms.toFixed(2)}`;
const fmt = (value, digits = 0) => (value === undefined ? '-' : Number(value).toFixed(digits));
const header = `${'store'.padEnd(7)} ${'side'.padEnd(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'requests'.padStart(9)} ${'non-2xx'.padStart(8)} ${'errors'.padStart(7)} ${'peak RSS MiB'.padStart(13)}  CPU cores used (app/sandbox/loadgen${stores.includes('redis') ? '/redis' : ''})`;
const row = (store, side, f) =>
  `${store.padEnd(7)} ${side.padEnd(9)} ${fmt(f.rps).padStart(8)} ${fmt(f.p50, 2).padStart(7)} ${fmt(f.p90, 2).padStart(7)} ${fmt(f.p99, 2).padStart(7)} ${fmt(f.max, 2).padStart(7)} ${String(f.total).padStart(9)} ${String(f.non2xx).padStart(8)} ${String(f.errors).padStart(7)} ${fmt(f.peakRss, 1).padStart(13)}  ${[f.cpu.app, f.cpu.sandbox, f.cpu.loadgen, f.cpu.redis].filter((v) => v !== undefined).map((v) => v.toFixed(2)).join('/')}`;

async function benchStore(store, sandbox, cardholders, profileDir, sandboxPid) {
  const redis = store === 'redis' ? await startRedisServer() : null;
  if (store === 'redis' && !redis) {
    print('redis: no redis-server binary on PATH, Redis run skipped');
    return null;
  }
  const baseline = await startProcess(here('./baseline-app.js'), {
    env: { PORT: '0', CM_MESSAGING_URL: sandbox.url, CM_PRODUCT_TOKEN: sandbox.productToken },
  });
  const app = await startProcess(join(root, 'dist/sample-app/main.js'), {
    nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    env: {
      PORT: '0',
      CM_PRODUCT_TOKEN: sandbox.productToken,
      CM_OTP_URL: sandbox.url,
      CM_MESSAGING_URL: sandbox.url,
      ISSUER_ID,
      CARDHOLDERS_FILE: cardholders.file,
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: '100000000',
      ...(redis ? { REDIS_URL: redis.url, OTP_METHOD_ID_SECRET: 'bench-secret-shared-by-every-replica-0001' } : { REDIS_URL: '' }),
    },
  });
  try {
    const sides = {
      baseline: { url: `http://127.0.0.1:${baseline.match[1]}`, pid: baseline.child.pid, next: baselineRequests(cardholders.cards), path: SEND_OTP },
      module: { url: `http://127.0.0.1:${app.match[1]}`, pid: app.child.pid, path: SEND_OTP },
    };
    const methodIds = await fetchMethodIds(sides.module.url, cardholders.cards);
    sides.module.next = moduleRequests(cardholders.cards, methodIds, store);
    const idle = { baseline: rssMiB(sides.baseline.pid), module: rssMiB(sides.module.pid) };

    const watch = { sandbox: sandboxPid, ...(redis ? { redis: redis.pid } : {}) };
    const target = (side) => ({ url: sides[side].url, path: sides[side].path, pid: sides[side].pid, nextRequest: sides[side].next, watch });
    const load = (side, options) => runLoad({ ...target(side), connections, ...options });
    for (const side of ['baseline', 'module']) await load(side, { durationSeconds: WARMUP_SECONDS });

    const throughput = { baseline: [], module: [] };
    for (let round = 0; round < rounds; round += 1) {
      // Alternate which side goes first, so neither always runs on a warmer machine.
      const order = round % 2 === 0 ? ['baseline', 'module'] : ['module', 'baseline'];
      for (const side of order) throughput[side].push(figures(await load(side, { durationSeconds: seconds })));
    }
    const fixedRuns = { baseline: [], module: [] };
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['baseline', 'module'] : ['module', 'baseline'];
      for (const side of order) fixedRuns[side].push(figures(await runPaced({ ...target(side), durationSeconds: rateSeconds, rate })));
    }
    // Best round per side, the same rule for both: other jobs on a shared machine only ever make a round worse.
    const best = (runs) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const calmest = (runs) => runs.reduce((a, b) => (b.p99 < a.p99 ? b : a));
    return {
      store,
      idle,
      throughput: { baseline: best(throughput.baseline), module: best(throughput.module) },
      fixed: { baseline: calmest(fixedRuns.baseline), module: calmest(fixedRuns.module) },
      rounds: { throughput, fixed: fixedRuns },
    };
  } finally {
    await stopProcess(app.child);
    await stopProcess(baseline.child);
    await redis?.stop();
  }
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
print(`End-to-end sendOTP benchmark: sample app (nestjs-otp-delivery) vs bare Nest + fetch baseline, CM sandbox on loopback`);
print(`machine: ${cpu}, ${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, node ${process.version}`);
print(
  `load per side: warm-up ${WARMUP_SECONDS} s; ${rounds} alternating round(s) of ${seconds} s at max throughput (autocannon, ${connections} connections, best round shown); ` +
    `${rounds} alternating round(s) of ${rateSeconds} s at an even ${rate} req/s (open loop, latency from each request's scheduled start, lowest p99 shown)`,
);

const sandbox = await startProcess(join(root, 'bench/support/sandbox-process.js'), { ready: /^(\{.*\})$/m });
const sandboxInfo = JSON.parse(sandbox.match[1]);
const cardholders = writeCardholders(CARDS);
const profileDir = profile ? mkdtempSync(join(tmpdir(), 'otp-bench-prof-')) : undefined;
const results = [];
try {
  for (const store of stores) {
    const result = await benchStore(store, sandboxInfo, cardholders, profileDir, sandbox.child.pid);
    if (result) results.push(result);
  }
} finally {
  await stopProcess(sandbox.child);
  rmSync(cardholders.dir, { recursive: true, force: true });
}

print();
print(`max throughput (${connections} connections)`);
print(header);
for (const r of results) {
  print(row(r.store, 'baseline', r.throughput.baseline));
  print(row(r.store, 'module', r.throughput.module));
}
print();
print(`fixed rate ${rate} req/s, evenly spaced`);
print(header);
for (const r of results) {
  print(row(r.store, 'baseline', r.fixed.baseline));
  print(row(r.store, 'module', r.fixed.module));
}
print();
print('every round (req/s at max throughput | p99 ms at the fixed rate):');
for (const r of results) {
  for (const side of ['baseline', 'module']) {
    print(`  ${r.store.padEnd(7)} ${side.padEnd(9)} ${r.rounds.throughput[side].map((f) => f.rps.toFixed(0)).join(', ')} | ${r.rounds.fixed[side].map((f) => f.p99.toFixed(2)).join(', ')}`);
  }
}
print();
print('module vs baseline (target: throughput >= 85%, p99 at the fixed rate <= +2 ms)');
let broken = false;
for (const r of results) {
  const ratio = r.throughput.module.rps / r.throughput.baseline.rps;
  const addedP99 = r.fixed.module.p99 - r.fixed.baseline.p99;
  const failures = [...r.rounds.throughput.module, ...r.rounds.fixed.module].reduce((sum, f) => sum + f.non2xx + f.errors, 0);
  const ok = ratio >= 0.85 && addedP99 <= 2 && failures === 0;
  broken ||= failures > 0;
  // CPU time of the app process per request: the measure least disturbed by other jobs on the machine.
  const cpuPerRequest = (side) => {
    const runs = [...r.rounds.throughput[side], ...r.rounds.fixed[side]];
    return (runs.reduce((sum, f) => sum + (f.cpu.app * f.total) / f.rps, 0) / runs.reduce((sum, f) => sum + f.total, 0)) * 1e6;
  };
  const [moduleUs, baselineUs] = [cpuPerRequest('module'), cpuPerRequest('baseline')];
  print(
    `${r.store.padEnd(7)} app CPU per request ${moduleUs.toFixed(0)} us vs ${baselineUs.toFixed(0)} us (${moduleUs >= baselineUs ? '+' : ''}${(moduleUs - baselineUs).toFixed(0)} us, ` +
      `${((baselineUs / moduleUs) * 100).toFixed(1)}% of the baseline's requests per CPU-second)`,
  );
  print(
    `${r.store.padEnd(7)} throughput ${(ratio * 100).toFixed(1)}% of baseline, added latency at ${rate} req/s: ` +
      `p50 ${signed(r.fixed.module.p50 - r.fixed.baseline.p50)}, p90 ${signed(r.fixed.module.p90 - r.fixed.baseline.p90)}, p99 ${signed(addedP99)} ms, ` +
      `idle RSS ${r.idle.module.toFixed(1)} vs ${r.idle.baseline.toFixed(1)} MiB, module failures ${failures}: ${ok ? 'target met' : 'TARGET MISSED'}`,
  );
}
if (profileDir) {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  print();
  if (file) {
    print(`CPU profile of the module app: ${join(profileDir, file)}`);
    for (const line of topFrames(join(profileDir, file), 25)) print(line);
  } else print('no CPU profile was written');
}
// A missed target is a finding to record, not a crash; failed requests mean the run itself is invalid.
process.exitCode = broken ? 1 : 0;
