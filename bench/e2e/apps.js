// The two apps of the end-to-end bench, each in its own process, and their idle memory.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssMiB, startProcess, stopProcess } from '../support/processes.js';
import { median } from './stats.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_APP = `${root}dist/sample-app/main.js`;
export const BASELINE_APP = fileURLToPath(new URL('./baseline-app.js', import.meta.url));
export const ISSUER_ID = 'ISSUER0001';
/** Every replica shares it: required with REDIS_URL. */
const METHOD_ID_SECRET = 'bench-secret-shared-by-every-replica-0001';

/**
 * The built sample app (the whole module) against the CM sandbox, with the bench's cardholders.
 * `script`: another build's `dist/sample-app/main.js` (bench/e2e/ab.js compares two).
 */
export function startModuleApp({ sandbox, cardholdersFile, redisUrl, nodeArgs = [], script = SAMPLE_APP }) {
  return startProcess(script, {
    nodeArgs,
    env: {
      PORT: '0',
      MANAGEMENT_PORT: '0',
      CM_PRODUCT_TOKEN: sandbox.productToken,
      CM_OTP_URL: sandbox.url,
      CM_MESSAGING_URL: sandbox.url,
      ISSUER_ID,
      CARDHOLDERS_FILE: cardholdersFile,
      // Every send counts against the per-caller limit; the load comes from one caller.
      RATE_LIMIT_PER_CLIENT_MAX: '100000000',
      ...(redisUrl ? { REDIS_URL: redisUrl, OTP_METHOD_ID_SECRET: METHOD_ID_SECRET } : { REDIS_URL: '' }),
    },
  });
}

/** The bare Nest + undici baseline (baseline-app.js). */
export function startBaselineApp({ sandbox, inheritEnv = true }) {
  return startProcess(BASELINE_APP, {
    inheritEnv,
    env: { PORT: '0', CM_MESSAGING_URL: sandbox.url, CM_PRODUCT_TOKEN: sandbox.productToken },
  });
}

/** The port an app printed in its "listening on" line. */
export const urlOf = (started) => `http://127.0.0.1:${started.match[1]}`;

/** The lowest RSS of a started process, read every second while it idles `settleSeconds`, then stops it. */
async function idleRss(starting, settleSeconds) {
  const started = await starting;
  try {
    let lowest = rssMiB(started.child.pid);
    for (let second = 0; second < settleSeconds; second += 1) {
      await sleep(1000);
      lowest = Math.min(lowest, rssMiB(started.child.pid));
    }
    return lowest;
  } finally {
    await stopProcess(started.child);
  }
}

/** How many rounds of fresh starts; the median of each app's lowest readings is reported. */
export const IDLE_ROUNDS = 3;

/**
 * Idle RSS, each app freshly started, no request served: the lowest reading of `settleSeconds` of
 * idling, and of those the median over `IDLE_ROUNDS` rounds, each app freshly started in each. V8 keeps the young
 * generation it grew while booting until its memory reducer gives it back, after 15 to 30 s or more
 * (the sample app read 132 MiB at 3 s and 106 MiB from 20 s on, the bare app 90 and 74), and when it
 * does varies from start to start: the lowest reading of the bare app was 77 MiB in one run and 91 MiB
 * in the next, hence the median of several rounds. Every app idles alone, one after the other: nine
 * apps booting at once on two CPUs kept every sample app at its boot-time RSS for the whole 40 s, and
 * with three side by side the sample app still read higher than alone (BENCHMARKS.md, "Memory"). In
 * each round:
 * - `sampleDefaults`: the sample app as `npm start` runs it, with no environment but `PORT=0`
 *   (embedded CM sandbox and email outbox, in-memory store, the two sample cardholders);
 * - `sampleBenchCards`: the same with the bench's synthetic cardholder file, to tell how much of
 *   the module app's RSS in the load runs is the bench's data;
 * - `bare`: the bare Nest app with one controller (the baseline), likewise.
 * Each answers `{ median, readings }` (MiB).
 */
export async function idleOnDefaults({ sandbox, cardholdersFile, settleSeconds, rounds = IDLE_ROUNDS }) {
  const apps = {
    sampleDefaults: () => startProcess(SAMPLE_APP, { inheritEnv: false, env: { PORT: '0', MANAGEMENT_PORT: '0' } }),
    sampleBenchCards: () => startProcess(SAMPLE_APP, { inheritEnv: false, env: { PORT: '0', MANAGEMENT_PORT: '0', CARDHOLDERS_FILE: cardholdersFile } }),
    bare: () => startBaselineApp({ sandbox, inheritEnv: false }),
  };
  const readings = Object.fromEntries(Object.keys(apps).map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, start] of Object.entries(apps)) readings[name].push(await idleRss(start(), settleSeconds));
  }
  return Object.fromEntries(Object.entries(readings).map(([name, values]) => [name, { median: median(values), readings: values }]));
}
