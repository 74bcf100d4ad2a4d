// Child processes for benchmarks: start one, wait for its "listening"/JSON line, measure RSS, stop it.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How much of a child's output is kept for error reports once it is up. */
const TAIL_CHARS = 16_384;

/**
 * Starts `node <script>` and resolves once a line of its output matches `ready` (answering the match).
 *
 * `outputTo: 'pipe'` (default): the output comes through pipes; once the process is up it is no
 * longer scanned and only its last 16 KiB are kept. `outputTo: 'file'`: the output goes to a
 * temp file instead. Use that for a process under load that logs per request: Node writes to a
 * pipe synchronously on Linux, so when the reader (this process, busy generating the load) falls
 * behind and the 64 KiB pipe buffer fills, the child's event loop blocks on `write` and its
 * latency measures our reading, not its work. A file never blocks the writer.
 */
export function startProcess(script, { env = {}, ready = /listening on https?:\/\/localhost:(\d+)/, args = [], nodeArgs = [], outputTo = 'pipe' } = {}) {
  const argv = [...nodeArgs, script, ...args];
  const childEnv = { ...process.env, NO_COLOR: '1', ...env };
  return outputTo === 'file' ? startWithFileOutput(script, argv, childEnv, ready) : startWithPipes(script, argv, childEnv, ready);
}

function startWithPipes(script, argv, env, ready) {
  const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

function startWithFileOutput(script, argv, env, ready) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-process-'));
  const file = join(dir, 'output.log');
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, argv, { env, stdio: ['ignore', fd, fd] });
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
  // Registered after the listener above, so an early exit is reported with its output first.
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
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

/** SIGTERM, then wait for the exit. */
export function stopProcess(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
