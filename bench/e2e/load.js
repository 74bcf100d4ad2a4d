// The two load shapes of the end-to-end bench, both with a fresh body per request and the CPU and
// RSS of the processes under load measured around the run:
// - `runLoad`: autocannon, closed loop, N connections as fast as they go (max throughput);
// - `runPaced`: open loop at an even fixed rate, latency in microseconds from each request's
//   scheduled start. autocannon's own `overallRate` is not used for that: it lets every
//   connection send its whole per-second quota back to back at the start of each second
//   (node_modules/autocannon/lib/httpClient.js), so "500 req/s" arrives as bursts and its p99
//   measures the queue of a burst, not the time a request takes.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { rssMiB } from '../support/processes.js';

/** CPU seconds (user + system) a process has used so far (Linux, 100 ticks/s). */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Runs `load()` while sampling the peak RSS of `pid` (every 250 ms) and the CPU used by it, by the
 * `watch`ed processes and by this process (the load generator). Answers
 * `{ result, peakRss, rssAfter, cpu, cpuSeconds }`: `cpu` in cores used over the run,
 * `cpuSeconds` the user + system seconds each process spent during it (the figure behind
 * CPU per request).
 */
async function measured(pid, watch, load) {
  let peakRss = rssMiB(pid);
  const started = Date.now();
  const cpuBefore = Object.fromEntries(Object.entries({ app: pid, ...watch }).map(([name, id]) => [name, cpuSeconds(id)]));
  const runnerBefore = process.cpuUsage();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMiB(pid));
  }, 250);
  try {
    const result = await load();
    peakRss = Math.max(peakRss, rssMiB(pid));
    const elapsed = (Date.now() - started) / 1000;
    const spent = Object.fromEntries(Object.entries({ app: pid, ...watch }).map(([name, id]) => [name, cpuSeconds(id) - cpuBefore[name]]));
    const runner = process.cpuUsage(runnerBefore);
    spent.loadgen = (runner.user + runner.system) / 1e6;
    const cpu = Object.fromEntries(Object.entries(spent).map(([name, seconds]) => [name, seconds / elapsed]));
    return { result, peakRss, rssAfter: rssMiB(pid), cpu, cpuSeconds: spent };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * One bounded autocannon run at full speed. `nextRequest()` answers `{ body, headers }` for each
 * request, so every sendOTP carries its own correlation id and card.
 */
export function runLoad({ url, path, durationSeconds, connections, nextRequest, pid, watch = {} }) {
  return measured(pid, watch, async () => {
    const result = await autocannon({
      url,
      connections,
      duration: durationSeconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path,
          setupRequest: (request) => {
            const next = nextRequest();
            return { ...request, body: next.body, headers: { ...request.headers, 'content-type': 'application/json', ...next.headers } };
          },
        },
      ],
    });
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  });
}

/**
 * Sends `rate` requests per second for `durationSeconds`, each at its own scheduled time
 * (1/rate apart), whatever the earlier ones are doing (open loop). Latency runs from the
 * scheduled time, so a stalled server or load generator counts against the server's tail
 * instead of silently delaying the next requests.
 */
export function runPaced({ url, path, durationSeconds, rate, nextRequest, pid, watch = {} }) {
  return measured(pid, watch, async () => {
    // Enough connections that a request never waits for a free one at this rate, up to 100 ms
    // answers (undici opens them only as needed).
    const pool = new Pool(url, { connections: Math.max(128, Math.ceil(rate / 10)), pipelining: 1, keepAliveTimeout: 30_000 });
    const total = Math.round(rate * durationSeconds);
    const intervalMs = 1000 / rate;
    const latencies = new Float64Array(total);
    const pending = [];
    let non2xx = 0;
    let errors = 0;
    const fire = async (index, scheduledAt) => {
      // Timers have millisecond resolution: a request sent up to 1 ms early is timed from its send, a late one from its schedule.
      const startedAt = Math.min(scheduledAt, performance.now());
      const next = nextRequest();
      try {
        const response = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', ...next.headers }, body: next.body, headersTimeout: 10_000 });
        await response.body.dump();
        if (response.statusCode < 200 || response.statusCode > 299) non2xx += 1;
      } catch {
        errors += 1;
      }
      latencies[index] = performance.now() - startedAt;
    };
    const start = performance.now() + 50;
    for (let index = 0; index < total; index += 1) {
      const scheduledAt = start + index * intervalMs;
      for (let wait = scheduledAt - performance.now(); wait >= 1; wait = scheduledAt - performance.now()) await sleep(Math.floor(wait));
      pending.push(fire(index, scheduledAt));
    }
    await Promise.all(pending);
    const elapsedSeconds = (performance.now() - start) / 1000;
    await pool.close();
    const sorted = Array.from(latencies).sort((a, b) => a - b);
    const at = (quantile) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
    return { rps: total / elapsedSeconds, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1), total, non2xx, errors };
  });
}

/**
 * The figures printed for one run. `cpuUsPerRequest`: CPU microseconds each process spent per
 * request answered (user + system time from /proc/<pid>/stat, 10 ms ticks, over the whole run).
 */
export function figures({ result, peakRss, rssAfter, cpu, cpuSeconds: spent }) {
  const cpuUsPerRequest = Object.fromEntries(Object.entries(spent).map(([name, seconds]) => [name, result.total > 0 ? (seconds / result.total) * 1e6 : undefined]));
  return { ...result, cpu, cpuUsPerRequest, peakRss, rssAfter };
}
