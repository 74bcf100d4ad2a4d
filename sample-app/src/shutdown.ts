import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Longest the closing may take after the drain (the module's hooks: outcome writes, pools, Redis)
 * before the process reports what is still open and exits 1.
 */
const SHUTDOWN_GRACE_MS = 10_000;
/** The module's defaults: the delivery deadline, the lease's margin over it, a repeat's wait past the lease. */
const DEFAULT_DEADLINE_MS = 5_000;
const LEASE_MARGIN_MS = 2_000;
const WAIT_MARGIN_MS = 500;

/**
 * How long the callbacks in flight may take once the server stops accepting: the longest a
 * `sendOTP` can run, a retry that waits out a crashed owner's lease (deadline + 2 s, plus 0.5 s)
 * and then sends within the deadline: 12.5 s with the default 5 s deadline.
 */
export function drainMsFor(deadlineMs = DEFAULT_DEADLINE_MS): number {
  return 2 * deadlineMs + LEASE_MARGIN_MS + WAIT_MARGIN_MS;
}

/** Cuts every connection of a server at once, TLS handshakes in progress included. */
export interface ConnectionCutter {
  destroyAll(): void;
}

/**
 * Tracks a server's sockets from their first byte: `closeAllConnections` reaches only connections
 * the HTTP parser has, and on HTTPS a client stalled in its TLS handshake is not one yet.
 */
export function trackConnections(server: Server): ConnectionCutter {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return { destroyAll: () => sockets.forEach((socket) => socket.destroy()) };
}

/** Express middleware: while draining, each answer says `Connection: close`, so its connection ends with it. */
export function closeConnectionsWhileDraining(state: ShutdownState) {
  return (_request: unknown, response: ServerResponse, next: () => void): void => {
    if (state.draining) response.setHeader('connection', 'close');
    next();
  };
}

/** Whether the process is shutting down: readiness answers 503 from the signal on. */
export class ShutdownState {
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  /** Marks the start of the shutdown; there is no way back. */
  startDraining(): void {
    this.#draining = true;
  }
}

/** What `closeOnSignals` closes, in order, and how. */
export interface ShutdownPlan {
  /** The apps, closed one after the other: the callback app first, the management app last. */
  readonly apps: readonly INestApplication[];
  readonly state: ShutdownState;
  /** Time between the signal and closing the first app, while readiness already answers 503. */
  readonly delayMs: number;
  /**
   * Longest the requests in flight on the first app (the callbacks) get once it stops accepting: a
   * `sendOTP` ends within its delivery deadline; a client that never finishes sending its request
   * is cut off then, instead of holding the process until the watchdog.
   */
  readonly drainMs: number;
  /** The first app's connections, all cut when the drain ends. */
  readonly connections?: ConnectionCutter;
  readonly logger: LoggerService;
  /** Runs after the last app closed (flushes the logs). */
  readonly afterClose?: () => void;
}

/**
 * On SIGTERM/SIGINT: readiness answers 503 at once; after `delayMs` (the load balancer stops
 * sending) each app is closed in turn, running every OnModuleDestroy / OnApplicationShutdown hook:
 * the callback server stops accepting and drains the requests in flight (a `sendOTP` finishes
 * within its delivery deadline; `drainMs` at most), then CM pools, SMTP pool, Redis and sandboxes close; the
 * management server (probes, metrics) closes last. Then the process ends on its own: unlike
 * `enableShutdownHooks()`, which re-raises the signal, nothing forces the exit, so a connection
 * left open keeps it alive, and the watchdog names it and exits 1.
 */
export function closeOnSignals(plan: ShutdownPlan): void {
  const { logger } = plan;
  const shutdown = async (signal: NodeJS.Signals) => {
    plan.state.startDraining();
    logger.log(`${signal} received, closing${plan.delayMs > 0 ? ` in ${plan.delayMs} ms (readiness answers 503 meanwhile)` : ''}`);
    const limitMs = plan.delayMs + plan.drainMs + SHUTDOWN_GRACE_MS;
    const watchdog = setTimeout(() => {
      logger.error(`still open after ${limitMs} ms: ${process.getActiveResourcesInfo().join(', ')}`);
      plan.afterClose?.();
      process.exit(1);
    }, limitMs);
    watchdog.unref();
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    const [callbacks, ...rest] = plan.apps;
    if (callbacks) await closeDraining(callbacks, plan.drainMs, plan.connections);
    for (const app of rest) await app.close();
    logger.log('closed');
    plan.afterClose?.();
  };
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal (an orchestrator's repeat, a second Ctrl-C) must neither kill the process in the
    // middle of the drain (Node's default for a signal with no listener) nor start a second close.
    if (closing) {
      logger.log(`${signal} received again: still closing (the requests in flight finish first)`);
      return;
    }
    closing = true;
    void shutdown(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Drains an app's HTTP server, then closes the app. Nest would run its shutdown hooks (closing CM
 * pools, awaiting outcome writes) before closing the server, still serving requests that came
 * meanwhile; here the server stops accepting first, the requests in flight finish with everything
 * still open, kept-alive connections go as soon as they are idle, and a connection left after
 * `drainMs` (a client that never finishes its request) is cut. The hooks run after that.
 */
async function closeDraining(app: INestApplication, drainMs: number, connections?: ConnectionCutter): Promise<void> {
  const server = app.getHttpServer() as Server;
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => {
    server.closeAllConnections();
    connections?.destroyAll();
  }, drainMs);
  try {
    await drained;
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
  await app.close();
}
