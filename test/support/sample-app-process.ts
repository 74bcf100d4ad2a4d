import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const mainJs = resolve(root, 'dist/sample-app/main.js');

/** The built sample app running as its own process, as `npm start` runs it. */
export interface SampleAppProcess {
  /** The callback port: the callbacks and `requestCardDigitization`, nothing else. */
  readonly url: string;
  /** The management port: probes, `/metrics`, `/docs`, and `/sandbox` while sandboxes run. */
  readonly managementUrl: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** What the process wrote to stdout alone, where its logs go. */
  stdout(): string;
  /** What the process wrote to stderr alone (nothing, as long as every line goes through the logger). */
  stderr(): string;
  /**
   * Waits until the output matches (logs are written asynchronously: a line may land a moment
   * after the answer it belongs to) and answers the match; rejects after `timeoutMs`.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Stops reading the process's stdout: once the pipe is full, its writes wait (a stuck log shipper). */
  pauseStdout(): void;
  /** Reads its stdout again. */
  resumeStdout(): void;
  /** Every stdout line parsed as JSON (the log format off a terminal); throws naming the first line that is not. */
  logRecords(): Record<string, unknown>[];
  /** Sends SIGTERM and answers the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
}

/**
 * Starts `dist/sample-app/main.js` (built by `npm test` before Jest) on free ports (callbacks and
 * management), with `nodeArgs` before the script.
 */
export async function startSampleApp(env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): Promise<SampleAppProcess> {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [...nodeArgs, mainJs], {
    cwd: root,
    env: { ...process.env, PORT: '0', MANAGEMENT_PORT: '0', NO_COLOR: '1', ...env },
  });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const { url, managementUrl } = await new Promise<{ url: string; managementUrl: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`sample app did not start:\n${output}`)), 20_000);
    const onData = () => {
      // One line names both ports: `listening on http://localhost:P (callbacks), management on http://localhost:M ...`.
      const match = /listening on (https?)[^:]*:\/\/localhost:(\d+).*?management on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done({ url: `${match[1]}://127.0.0.1:${match[2]}`, managementUrl: `http://127.0.0.1:${match[3]}` });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // 'close' rather than 'exit': by then everything the process printed has been read.
    child.once('close', (code) => {
      clearTimeout(timer);
      fail(new Error(`sample app exited at startup with code ${code}:\n${output}`));
    });
  });
  return {
    url,
    managementUrl,
    child,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    logRecords: () => parseLogLines(stdout),
    pauseStdout: () => child.stdout.pause(),
    resumeStdout: () => child.stdout.resume(),
    waitForOutput: async (pattern, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Each complete line of `text` as a JSON object. */
export function parseLogLines(text: string): Record<string, unknown>[] {
  const lines = text.split('\n');
  lines.pop(); // the last line may still be incomplete (or is the empty tail after the final newline)
  return lines.map((line, index) => {
    try {
      const record: unknown = JSON.parse(line);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Error('not an object');
      return record as Record<string, unknown>;
    } catch {
      throw new Error(`log line ${index + 1} is not a JSON object: ${line}`);
    }
  });
}
