import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

export { freePort };

/** A Redis the tests can use, and how to let go of it. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Where it came from: `REDIS_URL` or a spawned `redis-server`. */
  readonly source: 'env' | 'spawned';
  /** A fresh client on a connection of its own (closed by `stop`). */
  client(): Redis;
  /** Closes the clients handed out and stops a spawned server. */
  stop(): Promise<void>;
}

/** Why `startRedis` answered null, for the loud warning. */
export let redisUnavailableReason = '';

/**
 * A real Redis for a suite: `REDIS_URL` when set, else a throwaway `redis-server` on a free port
 * (no persistence), else null with `redisUnavailableReason` set. Use `describeRedis` rather than
 * calling this directly, so a missing Redis is never a silent pass.
 */
export async function startRedis(): Promise<TestRedis | null> {
  const clients: Redis[] = [];
  const makeClient = (url: string) => () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const closeClients = async () => {
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  };

  if (process.env.REDIS_URL) {
    const url = process.env.REDIS_URL;
    if (!(await answersPing(url))) {
      redisUnavailableReason = `REDIS_URL is set but Redis there does not answer PING`;
      return null;
    }
    return { url, source: 'env', client: makeClient(url), stop: closeClients };
  }

  if (!hasRedisServerBinary()) {
    redisUnavailableReason = 'REDIS_URL is not set and no redis-server binary is on PATH';
    return null;
  }
  const server = await spawnRedisServer(await freePort());
  if (!server) return null;
  return {
    url: server.url,
    source: 'spawned',
    client: makeClient(server.url),
    stop: async () => {
      await closeClients();
      await server.stop();
    },
  };
}

/** Whether `redis-server` is on PATH. */
export function hasRedisServerBinary(): boolean {
  return spawnSync('which', ['redis-server']).status === 0;
}

/**
 * Spawns a throwaway `redis-server` (no persistence) on `port` and waits until it answers PING;
 * null (with `redisUnavailableReason` set) when it does not within 5 s. For outage tests: stop it
 * and spawn another on the same port. `extraArgs` go to `redis-server` as they are (e.g.
 * `['--cluster-enabled', 'yes', ...]`).
 */
export async function spawnRedisServer(port: number, extraArgs: readonly string[] = []): Promise<{ url: string; port: number; pid: number; stop(): Promise<void> } | null> {
  const url = `redis://127.0.0.1:${port}`;
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 5000;
  while (!(await answersPing(url))) {
    if (Date.now() > deadline || server.exitCode !== null) {
      server.kill('SIGKILL');
      redisUnavailableReason = `redis-server did not answer PING on port ${port} within 5 s`;
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, port, pid: server.pid!, stop: () => killProcess(server) };
}

/**
 * `describe` for suites that need Redis. When no Redis can be had, it prints a boxed warning
 * saying why and registers one test that FAILS, unless `OTP_ALLOW_NO_REDIS=1` is set (then that
 * test passes and says so): a CI without Redis can never look green by accident.
 */
export function describeRedis(name: string, body: (redis: () => TestRedis) => void, options: { needsBinary?: boolean } = {}): void {
  describe(name, () => {
    let redis: TestRedis | null = null;
    let started = false;
    beforeAll(async () => {
      if (options.needsBinary && !hasRedisServerBinary()) {
        redisUnavailableReason = 'this suite spawns and stops redis-server itself, and no redis-server binary is on PATH';
        started = true;
        warnLoudly(name, redisUnavailableReason);
        return;
      }
      redis = await startRedis();
      started = true;
      if (!redis) warnLoudly(name, redisUnavailableReason);
    });
    afterAll(async () => {
      await redis?.stop();
    });
    const available = () => {
      if (!redis) throw new Error(`Redis unavailable: ${redisUnavailableReason}`);
      return redis;
    };
    // Registration happens before beforeAll runs, so availability is probed synchronously here.
    if (options.needsBinary ? hasRedisServerBinary() : redisReachableSync()) {
      // A nested block, so the body's own afterAll hooks run before Redis is stopped.
      describe('with a real Redis', () => body(available));
    } else {
      it('needs a Redis (set REDIS_URL, install redis-server, or set OTP_ALLOW_NO_REDIS=1 to accept skipping)', () => {
        expect(started).toBe(true);
        if (process.env.OTP_ALLOW_NO_REDIS !== '1') {
          throw new Error(`Redis suite "${name}" could not run: ${redisUnavailableReason}`);
        }
      });
    }
  });
}

/** Whether a Redis can be had at all, decided without async work (Jest registers tests synchronously). */
function redisReachableSync(): boolean {
  return Boolean(process.env.REDIS_URL) || hasRedisServerBinary();
}

/** The boxed warning of a Redis suite that could not run. */
export function warnLoudly(suite: string, reason: string, text = { title: 'REDIS SUITE DID NOT RUN', fix: 'set REDIS_URL or install redis-server' }): void {
  const lines = [`${text.title}: ${suite}`, `why: ${reason}`, `fix: ${text.fix}`, 'OTP_ALLOW_NO_REDIS=1 accepts this'];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  console.warn(['', '#'.repeat(width + 2), ...lines.map((line) => `# ${line.padEnd(width - 1)}#`), '#'.repeat(width + 2), ''].join('\n'));
}

/** Whether a Redis (or a Sentinel) at `url` answers PING within about half a second. */
export async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500, disconnectTimeout: 50 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}


function killProcess(child: ChildProcess): Promise<void> {
  // A child killed by a signal has a signalCode and no exitCode: it has exited all the same.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
