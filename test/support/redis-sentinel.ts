import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { answersPing } from './redis.js';

/** A throwaway Redis Sentinel watching one master. */
export interface TestSentinel {
  readonly host: string;
  readonly port: number;
  /** The master's name, as clients ask for it (`name` in ioredis' options). */
  readonly masterName: string;
  stop(): Promise<void>;
}

/**
 * Spawns `redis-server <config> --sentinel` on a free port, monitoring the master on `masterPort`
 * under `masterName` (quorum 1), and waits until it answers PING. Sentinel rewrites its config, so
 * it gets a temp directory of its own, removed by `stop`.
 */
export async function spawnRedisSentinel(masterPort: number, masterName = 'mymaster'): Promise<TestSentinel> {
  const dir = mkdtempSync(join(tmpdir(), 'otp-redis-sentinel-'));
  const port = await freePort();
  const config = join(dir, 'sentinel.conf');
  writeFileSync(config, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`, ''].join('\n'));
  const sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
  const stop = async () => {
    if (sentinel.exitCode === null && sentinel.signalCode === null) {
      await new Promise((resolve) => {
        sentinel.once('exit', resolve);
        sentinel.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 5000;
  while (!(await answersPing(`redis://127.0.0.1:${port}`))) {
    if (Date.now() > deadline || sentinel.exitCode !== null) {
      await stop();
      throw new Error(`redis-server --sentinel did not answer PING on port ${port} within 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { host: '127.0.0.1', port, masterName, stop };
}
