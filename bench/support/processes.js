// Child processes for benchmarks: start one, wait for its "listening"/JSON line, measure RSS, stop it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** How much of a child's output is kept for error reports once it is up. */
const TAIL_CHARS = 16_384;

/**
 * Starts `node <script>` and resolves once a line matches `ready` (answering the match).
 * After that the output is no longer scanned and only its last 16 KiB are kept: under load the
 * app under test logs a line per request, and re-reading a growing buffer on every chunk would
 * cost the load generator more and more CPU in the middle of a measurement.
 */
export function startProcess(script, { env = {}, ready = /listening on https?:\/\/localhost:(\d+)/, args = [], nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let started = false;
  const onData = (chunk) => {
    output += chunk;
    if (started) output = output.slice(-TAIL_CHARS);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = ready.exec(output);
      if (!match) return;
      started = true;
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      resolve({ child, match, output: () => output });
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
}

/** Resident set size of a process, in MiB (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/** SIGTERM, then wait for the exit. */
export function stopProcess(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
