// Two builds of the sample app, side by side, on the same load: how each change of issue 12 was
// measured before it was kept. Not part of `npm run bench` (it needs a second checkout):
//
//   git worktree add ../before <commit> && (cd ../before && ln -s ../main/node_modules . && npm run build)
//   npm run build && node bench/e2e/ab.js --a ../before --b . [--store redis] [--seconds 6] [--rounds 3]
//
// (A checkout whose node_modules links to another's must link `nestjs-otp-delivery` to its own
// `libs/otp-delivery`.) Both apps get one CM sandbox, their own store (a redis-server each with
// `--store redis`) and the same synthetic cardholders; after a 3 s warm-up each, they take turns
// (the side going first alternates) at full speed with autocannon at 32 connections. It prints every
// round and the medians: B/A for requests per second and for app CPU per request, and each app's peak
// RSS. On the 2-CPU machine of BENCHMARKS.md, two runs of the same build differ by up to 3%.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { peakRssMiB, startProcess, stopProcess } from '../support/processes.js';
import { writeCardholders } from './cardholders.js';
import { startRedisServer } from './redis-server.js';
import { runLoad, figures } from './load.js';
import { CardPool, USES_PER_CARD, wholeBlocks } from './card-pool.js';
import { startModuleApp, urlOf } from './apps.js';
import { failed, median } from './stats.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: { a: { type: 'string' }, b: { type: 'string' }, store: { type: 'string', default: 'memory' }, seconds: { type: 'string', default: '6' }, rounds: { type: 'string', default: '3' } },
});
if (!values.a || !values.b) throw new Error('usage: node bench/e2e/ab.js --a <checkout> --b <checkout> [--store memory|redis] [--seconds 6] [--rounds 3]');
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const WARMUP_SECONDS = 3;
/** Requests per second neither side is expected to exceed, to size the cards. */
const MAX_RPS = 5000;
const print = (line = '') => process.stdout.write(`${line}\n`);

const sandboxProcess = await startProcess(join(root, 'bench/support/sandbox-process.js'), { ready: /^(\{.*\})$/m });
const sandbox = { ...JSON.parse(sandboxProcess.match[1]), pid: sandboxProcess.child.pid };
const cardholders = writeCardholders(wholeBlocks(Math.ceil(((WARMUP_SECONDS + rounds * seconds) * MAX_RPS) / USES_PER_CARD)));
const sides = {};
try {
  for (const [name, dir] of [['A', values.a], ['B', values.b]]) {
    const redis = values.store === 'redis' ? await startRedisServer() : null;
    if (values.store === 'redis' && !redis) throw new Error('no redis-server binary on PATH');
    const app = await startModuleApp({ sandbox, cardholdersFile: cardholders.file, redisUrl: redis?.url, script: resolve(dir, 'dist/sample-app/main.js') });
    const cards = new CardPool(urlOf(app), cardholders.cards, name);
    await cards.reserve(cardholders.cards.length * USES_PER_CARD);
    sides[name] = { app, redis, cards, rounds: [] };
  }
  const load = async (name, durationSeconds) => {
    const side = sides[name];
    const watch = { sandbox: sandbox.pid, ...(side.redis ? { redis: side.redis.pid } : {}) };
    return figures(await runLoad({ url: urlOf(side.app), path: '/issuer/igwapi/v2.0/sendOTP', pid: side.app.child.pid, nextRequest: () => side.cards.next(), watch, connections: 32, durationSeconds }));
  };
  await load('A', WARMUP_SECONDS);
  await load('B', WARMUP_SECONDS);
  print(`A: ${values.a}, B: ${values.b}, ${values.store} store, ${rounds} alternating round(s) of ${seconds} s at 32 connections`);
  for (let round = 0; round < rounds; round += 1) {
    for (const name of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const result = await load(name, seconds);
      sides[name].rounds.push(result);
      const redisCpu = result.cpuUsPerRequest.redis === undefined ? '' : `, redis ${result.cpuUsPerRequest.redis.toFixed(0)} us/req`;
      print(`  ${name}: ${result.rps.toFixed(0)} req/s, app ${result.cpuUsPerRequest.app.toFixed(0)} us/req${redisCpu}, failed ${failed(result)}`);
    }
  }
  const medians = Object.fromEntries(
    Object.entries(sides).map(([name, side]) => [name, { rps: median(side.rounds.map((r) => r.rps)), cpu: median(side.rounds.map((r) => r.cpuUsPerRequest.app)) }]),
  );
  print(
    `medians: A ${medians.A.rps.toFixed(0)} req/s, ${medians.A.cpu.toFixed(0)} us/req; B ${medians.B.rps.toFixed(0)} req/s, ${medians.B.cpu.toFixed(0)} us/req; ` +
      `B/A ${(medians.B.rps / medians.A.rps).toFixed(3)}x req/s, ${(medians.B.cpu / medians.A.cpu).toFixed(3)}x CPU per request`,
  );
  // The kernel's high-water mark over each app's life, the fetch of its method ids included (the same work on both sides).
  const peak = Object.fromEntries(Object.entries(sides).map(([name, side]) => [name, peakRssMiB(side.app.child.pid)]));
  print(`peak RSS (VmHWM): A ${peak.A.toFixed(1)} MiB, B ${peak.B.toFixed(1)} MiB, B - A ${(peak.B - peak.A).toFixed(1)} MiB`);
  // A failed request makes the comparison invalid (exit 1), as in `npm run bench`.
  if (Object.values(sides).some((side) => side.rounds.some((r) => failed(r) > 0))) process.exitCode = 1;
} finally {
  for (const side of Object.values(sides)) {
    await stopProcess(side.app.child);
    await side.redis?.stop();
  }
  await stopProcess(sandboxProcess.child);
  rmSync(cardholders.dir, { recursive: true, force: true });
}
