import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const mainJs = resolve(root, 'dist/sample-app/main.js');

/** The built sample app running as its own process, as `npm start` runs it. */
export interface SampleAppProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM and answers the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
}

/** Starts `dist/sample-app/main.js` (built by `npm test` before Jest) on a free port. */
export async function startSampleApp(env: NodeJS.ProcessEnv = {}): Promise<SampleAppProcess> {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [mainJs], {
    cwd: root,
    env: { ...process.env, PORT: '0', NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`sample app did not start:\n${output}`)), 20_000);
    const onData = () => {
      const match = /listening on https?[^:]*:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(`${/https/.test(match[0]) ? 'https' : 'http'}://127.0.0.1:${match[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      fail(new Error(`sample app exited at startup:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
