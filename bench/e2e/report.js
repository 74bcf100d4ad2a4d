// What `npm run bench` prints: each store's rounds and medians, then issue 12's targets.
import { failed, fmt, median, signed, verdict } from './stats.js';

const SIDES = ['baseline', 'module'];
/** Issue 12's targets for the module against the bare undici baseline. */
export const TARGETS = {
  throughput: { memory: 0.7, redis: 0.6 },
  throughputAim: 0.85,
  addedP99Ms: 2,
  peakRssOverBaselineMiB: 100,
  idleOverBareMiB: 20,
};

const list = (values, digits = 0) => values.map((v) => fmt(v, digits)).join(', ');
const cores = (run) => ['sandbox', 'loadgen', 'redis'].filter((name) => run.cpu[name] !== undefined).map((name) => `${name} ${run.cpu[name].toFixed(2)}`).join(', ');

/** The medians of one side's rounds. */
export function summary(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p90: median(runs.map((r) => r.p90)),
    p99: median(runs.map((r) => r.p99)),
    max: median(runs.map((r) => r.max)),
    appUs: median(runs.map((r) => r.cpuUsPerRequest.app)),
    redisUs: median(runs.map((r) => r.cpuUsPerRequest.redis)),
    sampledPeakRss: Math.max(...runs.map((r) => r.peakRss)),
    failed: runs.reduce((sum, r) => sum + failed(r), 0),
  };
}

/** One store's tables: every round, the medians, memory, and Redis's CPU per send. */
export function printStore(result, { print, connections, rate, seconds, rateSeconds }) {
  const { store, throughput, fixed, idle, peak } = result;
  const t = { baseline: summary(throughput.baseline), module: summary(throughput.module) };
  const f = { baseline: summary(fixed.baseline), module: summary(fixed.module) };
  print();
  print(`== ${store} store ==`);
  print(`max throughput: autocannon, ${connections} connections, ${throughput.module.length} alternating round(s) of ${seconds} s`);
  print(`  ${'side'.padEnd(9)} ${'req/s'.padStart(7)}  ${'app CPU us/req'.padStart(14)}  ${'failed'.padStart(6)}  every round: req/s | app CPU us/req | other processes' CPU cores`);
  for (const side of SIDES) {
    const runs = throughput[side];
    print(
      `  ${side.padEnd(9)} ${fmt(t[side].rps).padStart(7)}  ${fmt(t[side].appUs).padStart(14)}  ${String(t[side].failed).padStart(6)}  ` +
        `${list(runs.map((r) => r.rps))} | ${list(runs.map((r) => r.cpuUsPerRequest.app))} | ${runs.map(cores).join('; ')}`,
    );
  }
  const roundRatios = throughput.module.map((run, i) => run.rps / throughput.baseline[i].rps);
  print(`  module / baseline: ${(t.module.rps / t.baseline.rps).toFixed(2)}x throughput (medians; round by round ${list(roundRatios, 2)}), ` +
    `${(t.baseline.appUs / t.module.appUs).toFixed(2)}x the baseline's requests per CPU-second (${signed(t.module.appUs - t.baseline.appUs, 0)} us per request)`);

  print(`even ${rate} req/s: open loop, ${fixed.module.length} alternating round(s) of ${rateSeconds} s (median of each percentile over the rounds)`);
  print(`  ${'side'.padEnd(9)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}  ${'app CPU us/req'.padStart(14)}  ${'failed'.padStart(6)}  every round: p50 | p90 | p99 ms`);
  for (const side of SIDES) {
    const runs = fixed[side];
    print(
      `  ${side.padEnd(9)} ${fmt(f[side].p50, 2).padStart(7)} ${fmt(f[side].p90, 2).padStart(7)} ${fmt(f[side].p99, 2).padStart(7)} ${fmt(f[side].max, 2).padStart(7)}  ` +
        `${fmt(f[side].appUs).padStart(14)}  ${String(f[side].failed).padStart(6)}  ${list(runs.map((r) => r.p50), 2)} | ${list(runs.map((r) => r.p90), 2)} | ${list(runs.map((r) => r.p99), 2)}`,
    );
  }
  print(`  added by the module: p50 ${signed(f.module.p50 - f.baseline.p50)}, p90 ${signed(f.module.p90 - f.baseline.p90)}, p99 ${signed(f.module.p99 - f.baseline.p99)} ms`);

  print(
    `memory: idle RSS after warm-up ${fmt(idle.module, 1)} MiB module, ${fmt(idle.baseline, 1)} MiB baseline; ` +
      `peak RSS under load (VmHWM, the kernel's high-water mark over the process's life) ${fmt(peak.module, 1)} MiB module, ${fmt(peak.baseline, 1)} MiB baseline ` +
      `(${signed(peak.module - peak.baseline, 1)} MiB; sampled every 250 ms in the rounds: ${fmt(Math.max(t.module.sampledPeakRss, f.module.sampledPeakRss), 1)} / ${fmt(Math.max(t.baseline.sampledPeakRss, f.baseline.sampledPeakRss), 1)} MiB)`,
  );
  if (store === 'redis') {
    print(
      `redis-server CPU per module request: ${fmt(t.module.redisUs, 1)} us at max throughput (rounds ${list(throughput.module.map((r) => r.cpuUsPerRequest.redis), 1)}), ` +
        `${fmt(f.module.redisUs, 1)} us at ${rate} req/s (rounds ${list(fixed.module.map((r) => r.cpuUsPerRequest.redis), 1)})`,
    );
  }
}

/** Issue 12's targets, each met or MISSED; answers the exit code (1 when a request failed). */
export function printTargets(results, idle, { print, rate, cards, idleSeconds }) {
  print();
  print('targets (issue 12), module against the bare undici baseline, medians over the rounds:');
  const line = (what, measured, target, ok) => print(`  ${what.padEnd(44)} ${measured.padEnd(34)} ${target.padEnd(22)} ${verdict(ok)}`);
  for (const r of results) {
    const t = { baseline: summary(r.throughput.baseline), module: summary(r.throughput.module) };
    const f = { baseline: summary(r.fixed.baseline), module: summary(r.fixed.module) };
    const ratio = t.module.rps / t.baseline.rps;
    const floor = TARGETS.throughput[r.store];
    line(`${r.store}: throughput`, `${ratio.toFixed(2)}x (${fmt(t.module.rps)} / ${fmt(t.baseline.rps)} req/s)`, `>= ${floor.toFixed(2)}x`, ratio >= floor);
    if (r.store === 'memory') line('memory: throughput, the aim', `${ratio.toFixed(2)}x`, `>= ${TARGETS.throughputAim.toFixed(2)}x`, ratio >= TARGETS.throughputAim);
    const added = f.module.p99 - f.baseline.p99;
    line(`${r.store}: added p99 at an even ${rate} req/s`, `${signed(added)} ms (${fmt(f.module.p99, 2)} vs ${fmt(f.baseline.p99, 2)})`, `<= +${TARGETS.addedP99Ms} ms`, added <= TARGETS.addedP99Ms);
    if (r.store === 'redis') {
      const over = r.peak.module - r.peak.baseline;
      line('redis: peak RSS under load (VmHWM)', `${signed(over, 1)} MiB (${fmt(r.peak.module, 1)} vs ${fmt(r.peak.baseline, 1)})`, `<= +${TARGETS.peakRssOverBaselineMiB} MiB`, over <= TARGETS.peakRssOverBaselineMiB);
    }
  }
  if (idle) {
    const over = idle.sampleDefaults.median - idle.bare.median;
    const readings = (app) => app.readings.map((mib) => fmt(mib, 1)).join(' / ');
    line('sample app idle, npm start defaults', `${signed(over, 1)} MiB (${fmt(idle.sampleDefaults.median, 1)} vs ${fmt(idle.bare.median, 1)})`, `<= +${TARGETS.idleOverBareMiB} MiB`, over <= TARGETS.idleOverBareMiB);
    print(
      `  (${idle.bare.readings.length} round(s), each app freshly started in each and idling alone, one after the other: the median of their lowest RSS over ${idleSeconds} s read every second; ` +
        `no request served, no environment but PORT=0. Each round: sample app ${readings(idle.sampleDefaults)}, bare app ${readings(idle.bare)} MiB. The sample app with the bench's ${cards} synthetic cardholders idles at ` +
        `${fmt(idle.sampleBenchCards.median, 1)} MiB (${readings(idle.sampleBenchCards)}), ${signed(idle.sampleBenchCards.median - idle.sampleDefaults.median, 1)} MiB against its defaults: the bench's data in the module's RSS above)`,
    );
  }
  for (const store of ['memory', 'redis']) {
    if (!results.some((r) => r.store === store)) print(`  ${store}: not run`);
  }
  const failures = results.flatMap((r) => SIDES.flatMap((side) => [r.warmUp[side], ...r.throughput[side], ...r.fixed[side]].map((run) => ({ store: r.store, side, n: failed(run) }))));
  const total = failures.reduce((sum, f) => sum + f.n, 0);
  print();
  if (total === 0) {
    print('run valid: no failed request on either side (exit 0; the targets above do not change the exit code)');
    return 0;
  }
  const where = failures.filter((f) => f.n > 0).map((f) => `${f.store} ${f.side} ${f.n}`).join(', ');
  print(`RUN INVALID: ${total} failed request(s) (non-2xx, errors or timeouts: ${where}); exit 1`);
  return 1;
}
