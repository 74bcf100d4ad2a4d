// `npm run bench:cm`: CmMessagingClient against the same JSON sent through a bare undici pool
// (the limit for a client built on undici) and against @cmdotcom/text-sdk, same sandbox on
// loopback, same concurrency, one run. The sandbox and each client run in separate processes so
// that the CPU and RSS figures belong to the client alone; the clients take turns in every round,
// the first place rotating. It prints every round, the medians, and issue 12's targets met or
// MISSED (CmMessagingClient >= 0.8x bare undici, >= 3x the SDK). A send refused or failed stops
// the run with an error.
// Options: BENCH_N (sends per client and round, default 20000), BENCH_CONCURRENCY (default 32),
// BENCH_ROUNDS (default 3; the median is reported).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const total = Number(process.env.BENCH_N ?? 20000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = [
  { id: 'cm', name: 'CmMessagingClient, text no.' },
  { id: 'cm-parsed', name: 'CmMessagingClient, parsed' },
  { id: 'undici', name: 'bare undici Pool.request' },
  { id: 'sdk', name: '@cmdotcom/text-sdk 2.0.0' },
];
/** Issue 12 §5. */
const TARGETS = { overBareUndici: 0.8, overSdk: 3 };

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

const print = (line = '') => process.stdout.write(`${line}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const FIELDS = ['throughput', 'p50', 'p99', 'cpuUsPerSend', 'loadedRssMb', 'peakRssMb'];

const server = spawn(process.execPath, [here('./sandbox-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const sandbox = JSON.parse(await firstLine(server));
  const results = Object.fromEntries(CLIENTS.map((c) => [c.id, []]));
  for (let round = 0; round < rounds; round += 1) {
    // Rotate who goes first, so no client always runs on a warmer (or cooler) machine.
    const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length].id);
    for (const client of order) results[client].push(await runClient(client, sandbox));
  }
  const summary = Object.fromEntries(CLIENTS.map(({ id }) => [id, Object.fromEntries(FIELDS.map((field) => [field, median(results[id].map((r) => r[field]))]))]));

  print(`CM client benchmark: ${total} SMS per client and round, concurrency ${concurrency}, ${rounds} round(s) each (median; every round below)`);
  print(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, node ${process.version}`);
  print(
    `${'client'.padEnd(26)} ${'sends/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU us/send'.padStart(11)} ` +
      `${'loaded RSS MB'.padStart(13)} ${'peak RSS MB'.padStart(11)}  every round: sends/s | CPU us/send`,
  );
  for (const { id, name } of CLIENTS) {
    const s = summary[id];
    print(
      `${name.padEnd(26)} ${s.throughput.toFixed(0).padStart(8)} ${s.p50.toFixed(2).padStart(7)} ${s.p99.toFixed(2).padStart(7)} ${s.cpuUsPerSend.toFixed(0).padStart(11)} ` +
        `${s.loadedRssMb.toFixed(1).padStart(13)} ${s.peakRssMb.toFixed(1).padStart(11)}  ` +
        `${results[id].map((r) => r.throughput.toFixed(0)).join(', ')} | ${results[id].map((r) => r.cpuUsPerSend.toFixed(0)).join(', ')}`,
    );
  }
  const { cm, undici, sdk } = summary;
  const parsed = summary['cm-parsed'];
  print();
  print('  text no.: the number as text (+316...), parsed and checked in each send (libphonenumber), as an issuer calling send() directly has it;');
  print('  parsed: the number parsed before the run, as the module\'s SMS channel hands it over (parsed once per send, upstream) and as');
  print('  the bare side and the SDK get their 00 numbers built before the run: the like-for-like comparison for the client itself.');
  print();
  print('targets (issue 12 §5), medians:');
  const line = (what, ratio, target) =>
    print(`  ${what.padEnd(48)} ${`${ratio.toFixed(2)}x`.padStart(7)}   ${target === undefined ? '(no target)' : `target >= ${target}x   ${ratio >= target ? 'met' : 'MISSED'}`}`);
  line('CmMessagingClient, parsed / bare undici', parsed.throughput / undici.throughput, TARGETS.overBareUndici);
  line('CmMessagingClient, text no. / bare undici', cm.throughput / undici.throughput, undefined);
  line('CmMessagingClient, text no. / @cmdotcom/text-sdk', cm.throughput / sdk.throughput, TARGETS.overSdk);
  print(
    `  CPU per send: CmMessagingClient ${parsed.cpuUsPerSend.toFixed(0)} us parsed, ${cm.cpuUsPerSend.toFixed(0)} us with the parse; bare undici ${undici.cpuUsPerSend.toFixed(0)} us ` +
      `(+${(parsed.cpuUsPerSend - undici.cpuUsPerSend).toFixed(0)} us per send over the bare pool); SDK ${sdk.cpuUsPerSend.toFixed(0)} us; ` +
      `p99 CmMessagingClient (text no.) / SDK x${(cm.p99 / sdk.p99).toFixed(2)}`,
  );
  const roundRatios = (client, other) => results[client].map((r, i) => (r.throughput / results[other][i].throughput).toFixed(2)).join(', ');
  print(`  round by round: parsed / bare undici ${roundRatios('cm-parsed', 'undici')}; text no. / bare undici ${roundRatios('cm', 'undici')}; text no. / SDK ${roundRatios('cm', 'sdk')}`);
} finally {
  server.kill('SIGTERM');
}
