import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { runCommand } from './run-command.js';
import { hasRedisServerBinary, redisUnavailableReason, spawnRedisServer, warnLoudly } from './redis.js';

/** One master of the test cluster. */
export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** A real Redis Cluster the tests can use, and how to let go of it. */
export interface TestRedisCluster {
  /** The masters, each holding a third of the slots. */
  readonly nodes: readonly ClusterNodeAddress[];
  /** A fresh ioredis `Cluster` client (closed by `stop`). */
  client(): Cluster;
  /** `CLUSTER KEYSLOT key`, answered by the cluster itself. */
  keySlot(key: string): Promise<number>;
  /** The master serving `key`'s slot, as `host:port`. */
  nodeOf(key: string): Promise<string>;
  /** `KEYS pattern` on every master still running, merged and sorted. */
  keys(pattern: string): Promise<string[]>;
  /** Stops one master (`host:port`): its slots become unreachable (no replica takes over). */
  stopNode(address: string): Promise<void>;
  /** Closes the clients handed out, stops every node and removes their directories. */
  stop(): Promise<void>;
}

/** How a test cluster is set up. */
export interface RedisClusterSetup {
  /** @default 3 */
  readonly masters?: number;
  /** More `redis-server` arguments for every node, e.g. `['--cluster-require-full-coverage', 'no']`. */
  readonly serverArgs?: readonly string[];
}

/** How long the cluster may take to form before the suite gives up. */
const FORM_TIMEOUT_MS = 20_000;

/** Every spawned cluster node still running, so a crashing test process leaves none behind. */
const running = new Set<{ stop(): Promise<void>; pid: number }>();
process.once('exit', () => {
  for (const node of running) {
    try {
      process.kill(node.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Whether `redis-cli` is on PATH (it forms the cluster). */
export function hasRedisCliBinary(): boolean {
  return spawnSync('which', ['redis-cli']).status === 0;
}

/**
 * Starts a real Redis Cluster of `masters` masters (no replicas) on free ports: one
 * `redis-server --cluster-enabled yes` per master, each with its own temp directory (no
 * persistence), joined with `redis-cli --cluster create`, then waits until every node reports
 * `cluster_state:ok` and agrees on the slot map. Throws, after cleaning up, when it cannot.
 */
export async function startRedisCluster(options: RedisClusterSetup = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'otp-redis-cluster-'));
  const servers: Array<NonNullable<Awaited<ReturnType<typeof spawnRedisServer>>>> = [];
  const clients: Array<Cluster | Redis> = [];
  /** Ports of the masters a test stopped (`stopNode`). */
  const stopped = new Set<number>();
  const stop = async () => {
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    await Promise.all(
      servers.filter((server) => !stopped.has(server.port)).map(async (server) => {
        await server.stop();
        running.delete(server);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = new Set<number>();
    // Two per node: clients and the cluster bus (an ephemeral port may be above 55535, where the
    // default bus port, port + 10000, does not exist).
    while (ports.size < masters * 2) ports.add(await freePort());
    const [clientPorts, busPorts] = [[...ports].slice(0, masters), [...ports].slice(masters)];
    const spawned = await Promise.all(
      clientPorts.map((port, i) => {
        const nodeDir = join(dir, `node-${i}`);
        mkdirSync(nodeDir);
        return spawnRedisServer(port, [
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf',
          '--cluster-port', String(busPorts[i]),
          '--cluster-node-timeout', '5000',
          '--cluster-announce-ip', '127.0.0.1',
          '--dir', nodeDir,
          ...(options.serverArgs ?? []),
        ]);
      }),
    );
    for (const server of spawned) {
      if (server) {
        servers.push(server);
        running.add(server);
      }
    }
    if (servers.length < masters) throw new Error(`a cluster node did not start: ${redisUnavailableReason}`);
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await runCommand('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { cwd: dir, timeoutMs: FORM_TIMEOUT_MS });
    await waitUntilFormed(servers.map((server) => server.port));
  } catch (error) {
    await stop();
    throw error;
  }

  const nodes = servers.map((server) => ({ host: '127.0.0.1', port: server.port }));
  const admins = nodes.map((node) => {
    // A short disconnectTimeout: the 2 s default, armed when a stopped node drops its connection, holds the test process.
    const admin = new Redis(node.port, { maxRetriesPerRequest: 1, retryStrategy: () => null, disconnectTimeout: 50 });
    admin.on('error', () => undefined);
    clients.push(admin);
    return admin;
  });
  /** Connections to the masters still running (any one answers CLUSTER KEYSLOT / SLOTS). */
  const live = () => admins.filter((_, i) => !stopped.has(nodes[i]!.port));
  return {
    nodes,
    client: () => {
      const client = new Cluster([...nodes]);
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    keySlot: async (key) => Number(await live()[0]!.call('CLUSTER', 'KEYSLOT', key)),
    nodeOf: async (key) => {
      const slot = Number(await live()[0]!.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await live()[0]!.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
      const [, , [host, port]] = ranges.find(([first, last]) => slot >= first && slot <= last)!;
      return `${host}:${port}`;
    },
    keys: async (pattern) => (await Promise.all(live().map((node) => node.keys(pattern)))).flat().sort(),
    stopNode: async (address) => {
      const server = servers.find((candidate) => `127.0.0.1:${candidate.port}` === address);
      if (!server) throw new Error(`no master at ${address}`);
      stopped.add(server.port);
      await server.stop();
      running.delete(server);
    },
    stop,
  };
}

/** Polls every node until each says `cluster_state:ok` and all serve the same slot map. */
async function waitUntilFormed(ports: readonly number[]): Promise<void> {
  const deadline = Date.now() + FORM_TIMEOUT_MS;
  const probes = ports.map((port) => {
    const probe = new Redis(port, { maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
    return probe;
  });
  try {
    for (;;) {
      const infos = await Promise.all(probes.map((probe) => probe.call('CLUSTER', 'INFO') as Promise<string>));
      const maps = await Promise.all(probes.map(async (probe) => JSON.stringify(slotOwners(await probe.call('CLUSTER', 'SLOTS')))));
      if (infos.every((info) => info.includes('cluster_state:ok')) && maps.every((map) => map === maps[0])) return;
      if (Date.now() > deadline) throw new Error(`the test cluster did not reach cluster_state:ok within ${FORM_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    probes.forEach((probe) => probe.disconnect());
  }
}

/** `CLUSTER SLOTS` reduced to range and master port, sorted, for comparing nodes' views. */
function slotOwners(slots: unknown): string[] {
  return (slots as Array<[number, number, [string, number]]>).map(([first, last, [, port]]) => `${first}-${last}@${port}`).sort();
}

/** Why a cluster cannot be had here, or null when it can. */
function clusterUnavailableReason(): string | null {
  if (!hasRedisServerBinary()) return 'no redis-server binary is on PATH';
  if (!hasRedisCliBinary()) return 'no redis-cli binary is on PATH (it forms the cluster)';
  return null;
}

/**
 * `describe` for suites that need a real Redis Cluster (three masters on free ports, started for
 * the suite and stopped after it). When the binaries are missing it prints a boxed warning saying
 * why and registers one test that FAILS, unless `OTP_ALLOW_NO_REDIS=1` is set (then that test
 * passes and says so), as `describeRedis` does. A cluster that fails to form fails the suite.
 */
export function describeRedisCluster(name: string, body: (cluster: () => TestRedisCluster) => void, setup: RedisClusterSetup = {}): void {
  describe(name, () => {
    const unavailable = clusterUnavailableReason();
    let cluster: TestRedisCluster | null = null;
    beforeAll(async () => {
      if (unavailable) {
        warnLoudly(name, unavailable, { title: 'REDIS CLUSTER SUITE DID NOT RUN', fix: 'install redis-server and redis-cli (Redis 7 or later)' });
        return;
      }
      cluster = await startRedisCluster(setup);
    }, FORM_TIMEOUT_MS + 10_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    if (unavailable) {
      it('needs redis-server and redis-cli to start a Redis Cluster (or set OTP_ALLOW_NO_REDIS=1 to accept skipping)', () => {
        if (process.env.OTP_ALLOW_NO_REDIS !== '1') throw new Error(`Redis Cluster suite "${name}" could not run: ${unavailable}`);
      });
      return;
    }
    // A nested block, so the body's own afterAll hooks run before the cluster is stopped.
    describe('with a real 3-master Redis Cluster', () =>
      body(() => {
        if (!cluster) throw new Error('the Redis Cluster did not start (see the error of beforeAll)');
        return cluster;
      }),
    );
  });
}
