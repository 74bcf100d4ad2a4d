// `npm run bench:cm`: CmMessagingClient vs @cmdotcom/text-sdk, same sandbox on loopback, same
// concurrency, one run. The sandbox and each client run in separate processes so that the RSS
// figures belong to the client alone. Options: BENCH_N (sends per client, default 20000),
// BENCH_CONCURRENCY (default 32), BENCH_ROUNDS (alternating rounds per client, default 3; the median is reported).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const total = Number(process.env.BENCH_N ?? 20000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

function firstLine(child) {
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`process exited with ${code} before answering`)));
  });
}

async function runClient(client, sandbox) {
  const child = spawn(process.execPath, ['--expose-gc', here('./client-run.js'), client, sandbox.url, sandbox.token, String(total), String(concurrency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const result = JSON.parse(await firstLine(child));
  await once(child, 'exit');
  return result;
}

const print = (line) => process.stdout.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = spawn(process.execPath, [here('./sandbox-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const sandbox = JSON.parse(await firstLine(server));
  const results = { cm: [], sdk: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const client of ['cm', 'sdk']) results[client].push(await runClient(client, sandbox));
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([client, runs]) => [
      client,
      {
        throughput: median(runs.map((r) => r.throughput)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        loadedRssMb: median(runs.map((r) => r.loadedRssMb)),
        peakRssMb: median(runs.map((r) => r.peakRssMb)),
      },
    ]),
  );
  const row = (name, s) => `${name.padEnd(28)} ${s.throughput.toFixed(0).padStart(10)} ${s.p50.toFixed(2).padStart(9)} ${s.p99.toFixed(2).padStart(9)} ${s.loadedRssMb.toFixed(1).padStart(13)} ${s.peakRssMb.toFixed(1).padStart(11)} ${(s.peakRssMb - s.loadedRssMb).toFixed(1).padStart(12)}`;
  print(`CM client benchmark: ${total} SMS per client, concurrency ${concurrency}, ${rounds} round(s) each (median), node ${process.version}, ${availableParallelism()} CPUs`);
  print(`${'client'.padEnd(28)} ${'sends/s'.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'loaded RSS MB'.padStart(13)} ${'peak RSS MB'.padStart(11)} ${'run +RSS MB'.padStart(12)}`);
  print(row('CmMessagingClient', summary.cm));
  print(row('@cmdotcom/text-sdk 2.0.0', summary.sdk));
  print(
    `ratios (ours / SDK): throughput x${(summary.cm.throughput / summary.sdk.throughput).toFixed(2)}, ` +
      `p50 x${(summary.cm.p50 / summary.sdk.p50).toFixed(2)}, p99 x${(summary.cm.p99 / summary.sdk.p99).toFixed(2)}, ` +
      `peak RSS x${(summary.cm.peakRssMb / summary.sdk.peakRssMb).toFixed(2)}, ` +
      `RSS growth during the run x${((summary.cm.peakRssMb - summary.cm.loadedRssMb) / (summary.sdk.peakRssMb - summary.sdk.loadedRssMb)).toFixed(2)}`,
  );
  print(`per-round: ${JSON.stringify(results)}`);
} finally {
  server.kill('SIGTERM');
}
