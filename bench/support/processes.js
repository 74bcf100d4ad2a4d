// Child processes for benchmarks: start one, wait for its "listening"/JSON line, measure RSS, stop it.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How much of a child's output `output()` answers. */
const TAIL_CHARS = 16_384;

/**
 * Starts `node <script>` and resolves once a line of its output matches `ready` (answering the
 * match and `output()`, the last 16 KiB of its output). The child gets this process's environment
 * plus `env`, or `env` alone with `inheritEnv: false` (to run an app on its defaults).
 *
 * The child writes to a temp file, not to a pipe: Node writes to a pipe synchronously on Linux,
 * so when the reader (this process, busy generating load) falls behind and the 64 KiB pipe buffer
 * fills, a child that logs per request blocks on `write`, and its latency measures our reading,
 * not its work. A file never blocks the writer. The file is removed when the child exits.
 */
export function startProcess(script, { env = {}, inheritEnv = true, ready = /listening on https?:\/\/localhost:(\d+)/, args = [], nodeArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-process-'));
  const file = join(dir, 'output.log');
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env: { ...(inheritEnv ? process.env : {}), NO_COLOR: '1', ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd); // the child holds its own copy
  const output = () => tailOf(file);
  const started = new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const poll = setInterval(() => {
      const match = ready.exec(output());
      if (match) {
        clearInterval(poll);
        resolve({ child, match, output });
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Error(`${script} did not start:\n${output()}`));
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`${script} exited with ${code}:\n${output()}`));
    });
  });
  // A child writing to a file never notices its parent is gone: stop it when this process exits,
  // a crash included (Ctrl-C reaches the whole process group anyway).
  const stopWithUs = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopWithUs);
  // Registered after the listener above, so an early exit is reported with its output first.
  child.once('exit', () => {
    process.off('exit', stopWithUs);
    rmSync(dir, { recursive: true, force: true });
  });
  return started;
}

/** The last 16 KiB of a file ('' once it is gone). */
function tailOf(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_CHARS);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Resident set size of a process, in MiB (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/**
 * Peak resident set size of a process over its whole life so far, in MiB: the kernel's
 * high-water mark (`VmHWM`), so no peak between two samples is missed (Linux).
 */
export function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/** SIGTERM, then wait for the exit. */
export function stopProcess(child) {
  // Killed by a signal, a child has a signalCode and no exitCode: it has exited all the same.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
