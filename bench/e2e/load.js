// autocannon runs with a fresh body per request, and RSS sampling of the process under load.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { rssMiB } from '../support/processes.js';

/** CPU seconds (user + system) a process has used so far (Linux, 100 ticks/s). */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * One bounded autocannon run. `nextRequest()` answers `{ body, headers }` for each request, so
 * every sendOTP carries its own correlation id and card. Answers autocannon's result plus the
 * peak RSS of `pid` during the run (MiB).
 */
export async function runLoad({ url, path, durationSeconds, connections, overallRate, nextRequest, pid, watch = {} }) {
  let peakRss = rssMiB(pid);
  const started = Date.now();
  const cpuBefore = Object.fromEntries(Object.entries({ app: pid, ...watch }).map(([name, id]) => [name, cpuSeconds(id)]));
  const runnerBefore = process.cpuUsage();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMiB(pid));
  }, 250);
  try {
    const result = await autocannon({
      url,
      connections,
      duration: durationSeconds,
      ...(overallRate ? { overallRate } : {}),
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
    peakRss = Math.max(peakRss, rssMiB(pid));
    const elapsed = (Date.now() - started) / 1000;
    const cpu = Object.fromEntries(Object.entries({ app: pid, ...watch }).map(([name, id]) => [name, (cpuSeconds(id) - cpuBefore[name]) / elapsed]));
    const runner = process.cpuUsage(runnerBefore);
    cpu.loadgen = (runner.user + runner.system) / 1e6 / elapsed;
    return { result, peakRss, rssAfter: rssMiB(pid), cpu };
  } finally {
    clearInterval(sampler);
  }
}

/** The figures printed for one run. */
export function figures({ result, peakRss, rssAfter, cpu }) {
  return {
    cpu,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRss,
    rssAfter,
  };
}
