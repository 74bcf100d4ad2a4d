// `npm run soak`: bounded soak of the sample app's classic sendOTP. The built sample app runs in
// its own process (one process for every run, so its memory can be compared run over run); the CM
// sandbox runs here, so faults are injected exactly and its outbox counted directly.
// Each run sends SOAK_REQUESTS sendOTP over about SOAK_SECONDS: every distinct request has its
// own correlation id and a unique code, SOAK_FAILURE_RATE of them meet an injected CM fault
// (HTTP 500, HTTP 400 with a CM error code, or a dropped connection), and SOAK_DUPLICATE_RATE are
// repeats of an earlier request (same correlation id and body), half of them sent concurrently
// with the original. After each run the invariants are checked:
//   outbox messages == distinct requests answered 200; no code and no reference twice in the
//   outbox; no message for a request that was not answered 200; every repeat answered like its original.
// Options (env): SOAK_REQUESTS (10000), SOAK_SECONDS (60), SOAK_RUNS (3), SOAK_FAILURE_RATE (0.01),
// SOAK_DUPLICATE_RATE (0.1), SOAK_STORE (redis | memory, default redis), SOAK_MAX_IN_FLIGHT (256).
import { setTimeout as sleep } from 'node:timers/promises';
import { rmSync } from 'node:fs';
import { cpus, availableParallelism, release } from 'node:os';
import { Pool } from 'undici';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { stopProcess } from '../support/processes.js';
import { writeCardholders } from '../e2e/cardholders.js';
import { startRedisServer } from '../e2e/redis-server.js';
import { ISSUER_ID, startModuleApp } from '../e2e/apps.js';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 10_000);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const RUNS = Number(process.env.SOAK_RUNS ?? 3);
const FAILURE_RATE = Number(process.env.SOAK_FAILURE_RATE ?? 0.01);
const DUPLICATE_RATE = Number(process.env.SOAK_DUPLICATE_RATE ?? 0.1);
const STORE = process.env.SOAK_STORE ?? 'redis';
const MAX_IN_FLIGHT = Number(process.env.SOAK_MAX_IN_FLIGHT ?? 256);
/** Hard bound of one run, whatever happens: the loop stops sending and the run is reported as failed. */
const RUN_LIMIT_MS = SECONDS * 1000 * 3 + 30_000;
const USES_PER_CARD = 4;
const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

const print = (line = '') => process.stdout.write(`${line}\n`);
const distinctPerRun = Math.ceil(REQUESTS * (1 - DUPLICATE_RATE));
const cardsPerRun = Math.ceil(distinctPerRun / USES_PER_CARD);

/** Faults the sandbox answers instead of handling a request, in turn. */
const FAULTS = [
  (sandbox) => sandbox.failNext(1, { status: 500 }),
  (sandbox) => sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } }),
  (sandbox) => sandbox.failNext(1, { status: 400, body: { details: 'Insufficient balance', errorCode: 102, messages: [] } }),
  (sandbox) => sandbox.dropNext(1),
];

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

async function post(pool, path, headers, body) {
  const started = performance.now();
  const response = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.body.text();
  let responseCode;
  try {
    responseCode = JSON.parse(text || '{}').responseCode;
  } catch {
    responseCode = 'not-json';
  }
  return { status: response.statusCode, responseCode, ms: performance.now() - started };
}

async function fetchMethodIds(pool, cards) {
  const ids = new Array(cards.length);
  let next = 0;
  const worker = async () => {
    while (next < cards.length) {
      const index = next++;
      const response = await pool.request({
        method: 'POST',
        path: '/issuer/igwapi/v2.0/requestCardDigitization',
        headers: { 'content-type': 'application/json', 'x-issuer-id': ISSUER_ID, 'x-correlation-id': `soak-rcd-${index}` },
        body: JSON.stringify({ issuerCardRefId: cards[index].issuerCardRefId }),
      });
      const body = await response.body.json();
      const sms = body.idvMethodList?.find((method) => /sms/i.test(method.type));
      if (!sms) throw new Error(`no SMS method for card ${index}: ${response.statusCode}`);
      ids[index] = sms.id;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

/** One soak run; answers its figures and the invariant violations found. */
async function soakRun(run, { pool, sandbox, cards, methodIds }) {
  sandbox.clear();
  const distinct = [];
  const sent = [];
  const inFlight = new Set();
  const latencies = [];
  let faults = 0;
  let concurrentRepeats = 0;
  let laterRepeats = 0;
  const started = Date.now();
  const interval = (SECONDS * 1000) / REQUESTS;
  const track = (promise) => {
    inFlight.add(promise);
    promise.finally(() => inFlight.delete(promise));
    return promise;
  };
  const fire = (request) => {
    const answer = track(
      post(pool, SEND_OTP, request.headers, request.body).then(
        (result) => {
          latencies.push(result.ms);
          return result;
        },
        (error) => ({ status: 0, responseCode: `transport:${error.code ?? error.name}`, ms: 0 }),
      ),
    );
    sent.push({ request, answer });
    return answer;
  };

  let stopped = false;
  for (let i = 0; i < REQUESTS; i += 1) {
    if (Date.now() - started > RUN_LIMIT_MS) {
      stopped = true;
      break;
    }
    const due = started + i * interval;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const repeat = distinct.length > 0 && Math.random() < DUPLICATE_RATE;
    if (repeat) {
      // Half the repeats go out at once with a fresh request (a concurrent duplicate), half later.
      const concurrent = Math.random() < 0.5;
      if (concurrent) {
        const original = newRequest(run, distinct.length, cards, methodIds);
        distinct.push(original);
        fire(original);
        fire({ ...original, repeatOf: original });
        concurrentRepeats += 1;
        i += 1;
      } else {
        const original = distinct[Math.floor(Math.random() * distinct.length)];
        fire({ ...original, repeatOf: original });
        laterRepeats += 1;
      }
      continue;
    }
    if (Math.random() < FAILURE_RATE) {
      FAULTS[faults % FAULTS.length](sandbox);
      faults += 1;
    }
    const request = newRequest(run, distinct.length, cards, methodIds);
    distinct.push(request);
    fire(request);
  }
  const answers = await Promise.all(sent.map((entry) => entry.answer));
  const elapsed = (Date.now() - started) / 1000;

  // Invariants.
  const answerOf = new Map();
  const byStatus = new Map();
  const violations = [];
  sent.forEach((entry, index) => {
    const answer = answers[index];
    const key = `${answer.status}${answer.responseCode === undefined ? '' : `/${answer.responseCode}`}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    if (!entry.request.repeatOf) answerOf.set(entry.request, answer);
  });
  sent.forEach((entry, index) => {
    if (!entry.request.repeatOf) return;
    const original = answerOf.get(entry.request.repeatOf);
    const answer = answers[index];
    if (original.status !== answer.status || original.responseCode !== answer.responseCode) {
      violations.push(`repeat answered ${answer.status}/${answer.responseCode}, original ${original.status}/${original.responseCode}`);
    }
  });
  const okCodes = new Set(distinct.filter((request) => answerOf.get(request).status === 200).map((request) => request.code));
  const outboxCodes = new Map();
  const references = new Map();
  for (const message of sandbox.outbox) {
    const code = /\b(\d{8})\b/.exec(message.text)?.[1];
    outboxCodes.set(code, (outboxCodes.get(code) ?? 0) + 1);
    references.set(message.reference, (references.get(message.reference) ?? 0) + 1);
  }
  const doubled = [...outboxCodes.values()].filter((count) => count > 1).length;
  const doubledReferences = [...references.values()].filter((count) => count > 1).length;
  const lost = [...okCodes].filter((code) => !outboxCodes.has(code)).length;
  const phantom = [...outboxCodes.keys()].filter((code) => !okCodes.has(code)).length;
  if (sandbox.outbox.length !== okCodes.size) violations.push(`outbox ${sandbox.outbox.length} != distinct 200 answers ${okCodes.size}`);
  if (doubled) violations.push(`${doubled} code(s) delivered more than once`);
  if (doubledReferences) violations.push(`${doubledReferences} reference(s) used more than once`);
  if (lost) violations.push(`${lost} request(s) answered 200 without a message (lost)`);
  if (phantom) violations.push(`${phantom} message(s) for requests not answered 200`);
  if (stopped) violations.push(`run stopped at its time limit after ${sent.length} requests`);
  const transport = [...byStatus.keys()].filter((key) => key.startsWith('0/'));
  if (transport.length) violations.push(`transport errors: ${transport.join(', ')}`);

  latencies.sort((a, b) => a - b);
  return {
    run,
    sent: sent.length,
    distinct: distinct.length,
    concurrentRepeats,
    laterRepeats,
    faults,
    elapsed,
    rate: sent.length / elapsed,
    byStatus: [...byStatus.entries()].sort().map(([key, count]) => `${key}x${count}`).join(' '),
    ok: okCodes.size,
    outbox: sandbox.outbox.length,
    doubled,
    lost,
    phantom,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    violations,
  };
}

let codeSequence = 10_000_000;
function newRequest(run, index, cards, methodIds) {
  const card = (run - 1) * cardsPerRun + (index % cardsPerRun);
  // 8 unique digits per distinct request: the outbox is matched back to requests by code.
  const code = String((codeSequence += 1));
  return {
    code,
    headers: { 'x-issuer-id': ISSUER_ID, 'x-correlation-id': `soak-${process.pid}-${run}-${index}` },
    body: JSON.stringify({ issuerCardRefId: cards[card].issuerCardRefId, otpValue: code, otpMethodId: methodIds[card], walletProviderId: 'APPLE_PAY' }),
  };
}

// ------------------------------------------------------------------ main

print(`Soak: sample app sendOTP, ${RUNS} run(s) x ${REQUESTS} requests over ~${SECONDS} s, ${FAILURE_RATE * 100}% injected CM faults, ${DUPLICATE_RATE * 100}% repeats, store ${STORE}`);
print(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Linux ${release()}, node ${process.version}`);
const sandbox = await CmSandbox.start({ recordRequests: false });
const redis = STORE === 'redis' ? await startRedisServer() : null;
if (STORE === 'redis' && !redis) throw new Error('SOAK_STORE=redis needs a redis-server binary on PATH (or run with SOAK_STORE=memory)');
const cardholders = writeCardholders(cardsPerRun * RUNS, { prefix: 'soak' });
// A measurement hook preloaded into the app process (the app itself is unchanged): on SIGUSR2 it
// runs a full GC and prints the heap in use, numbered, so growth run over run is told apart from
// garbage and each answer from the one before.
const GC_PROBE = `data:text/javascript,let n=0;process.on('SIGUSR2',()=>{globalThis.gc();const m=process.memoryUsage();process.stdout.write('SOAK_HEAP '+(++n)+' '+m.heapUsed+' '+m.rss+'\\n')})`;
const app = await startModuleApp({ sandbox, cardholdersFile: cardholders.file, redisUrl: redis?.url, nodeArgs: ['--expose-gc', '--import', GC_PROBE] });
/** Heap in use and RSS of the app after a full GC, in MiB. The app is idle then, so its answer is the last line of its output. */
let probes = 0;
async function heapAfterGc() {
  probes += 1;
  app.child.kill('SIGUSR2');
  const answer = new RegExp(`SOAK_HEAP ${probes} (\\d+) (\\d+)`);
  for (let waited = 0; waited < 5000; waited += 50) {
    const match = answer.exec(app.output());
    if (match) return { heap: Number(match[1]) / 2 ** 20, rss: Number(match[2]) / 2 ** 20 };
    await sleep(50);
  }
  return { heap: NaN, rss: NaN };
}
const pool = new Pool(`http://127.0.0.1:${app.match[1]}`, { connections: 64, keepAliveTimeout: 30_000 });
let failed = false;
try {
  const methodIds = await fetchMethodIds(pool, cardholders.cards);
  await sleep(1000);
  const initial = await heapAfterGc();
  print(`app before run 1 (after ${cardholders.cards.length} requestCardDigitization calls): heap after GC ${initial.heap.toFixed(1)} MiB, RSS ${initial.rss.toFixed(1)} MiB`);
  print();
  print(`${'run'.padEnd(4)} ${'sent'.padStart(6)} ${'distinct'.padStart(8)} ${'repeats c/l'.padStart(12)} ${'faults'.padStart(6)} ${'req/s'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'200s'.padStart(6)} ${'outbox'.padStart(6)} ${'doubled'.padStart(7)} ${'lost'.padStart(5)} ${'phantom'.padStart(7)} ${'heap MiB'.padStart(8)} ${'RSS MiB'.padStart(8)}  answers`);
  for (let run = 1; run <= RUNS; run += 1) {
    const result = await soakRun(run, { pool, sandbox, cards: cardholders.cards, methodIds });
    // Let timers and sockets of the run settle before reading memory.
    await sleep(2000);
    const memory = await heapAfterGc();
    print(
      `${String(run).padEnd(4)} ${String(result.sent).padStart(6)} ${String(result.distinct).padStart(8)} ${`${result.concurrentRepeats}/${result.laterRepeats}`.padStart(12)} ${String(result.faults).padStart(6)} ${result.rate.toFixed(0).padStart(6)} ${result.p50.toFixed(1).padStart(7)} ${result.p99.toFixed(1).padStart(7)} ${String(result.ok).padStart(6)} ${String(result.outbox).padStart(6)} ${String(result.doubled).padStart(7)} ${String(result.lost).padStart(5)} ${String(result.phantom).padStart(7)} ${memory.heap.toFixed(1).padStart(8)} ${memory.rss.toFixed(1).padStart(8)}  ${result.byStatus}`,
    );
    for (const violation of result.violations.slice(0, 10)) print(`     VIOLATION: ${violation}`);
    if (result.violations.length) failed = true;
  }
} finally {
  await pool.close();
  const exitCode = await stopProcess(app.child).then(() => app.child.exitCode);
  await sandbox.close();
  await redis?.stop();
  rmSync(cardholders.dir, { recursive: true, force: true });
  if (exitCode !== 0 && exitCode !== null) print(`sample app exited with ${exitCode}:\n${app.output()}`);
}
print();
print(failed ? 'SOAK FAILED: see the violations above' : 'soak passed: every run delivered each accepted request exactly once, lost none, and answered every repeat like its original');
process.exitCode = failed ? 1 : 0;
