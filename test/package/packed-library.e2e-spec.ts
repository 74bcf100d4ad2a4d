import { mkdtemp, readFile, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { runCommand } from '../support/run-command.js';
import { startCallbackApp } from '../tokenization/support/callback-app.js';

const root = resolve(import.meta.dirname, '../..');

/** The peers a Nest 12 app on Express has anyway. */
const BASE_PEERS = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs'];

/**
 * What an issuer does: install the packed tarball into a fresh Nest app outside the monorepo (no
 * path alias, no workspace link) with the given peers, compile `main.ts` with tsc against the
 * shipped `.d.ts` (skipLibCheck off), run it, and answer the JSON it prints last.
 */
async function runConsumer(tarball: string, app: { main: string; peers: string[] }): Promise<Record<string, unknown>> {
  const workDir = await mkdtemp(join(tmpdir(), 'otp-delivery-consumer-'));
  try {
    const rootPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    const dev: Record<string, string> = rootPackage.devDependencies;
    await copyFile(tarball, join(workDir, 'nestjs-otp-delivery.tgz'));
    await writeFile(
      join(workDir, 'package.json'),
      JSON.stringify({
        name: 'throwaway-issuer-app',
        private: true,
        type: 'module',
        dependencies: { 'nestjs-otp-delivery': 'file:./nestjs-otp-delivery.tgz', ...Object.fromEntries(app.peers.map((name) => [name, dev[name]])) },
        devDependencies: { typescript: dev.typescript, '@types/node': dev['@types/node'] },
      }),
    );
    await writeFile(
      join(workDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, experimentalDecorators: true,
          emitDecoratorMetadata: true, skipLibCheck: false, types: ['node'], outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    await copyFile(app.main, join(workDir, 'main.ts'));
    // The registry is reachable wherever `npm ci` ran; --prefer-offline reuses its cache.
    await runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: workDir, timeoutMs: 300_000 });
    await runCommand(join(workDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: workDir });
    const output = await runCommand('node', ['out/main.js'], { cwd: workDir, timeoutMs: 60_000 });
    return JSON.parse(output.trim().split('\n').at(-1) ?? '{}');
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

describe('the packed nestjs-otp-delivery package', () => {
  let packDir: string;
  let full: {
    sendOtp: { status: number; body: unknown };
    delivered: Array<{ to: string; containsCode: boolean; encoding: string }>;
    bootError: string;
    health: { status: number; body: { status: string; details: Record<string, { status: string }> } };
    openapi: Pick<OpenAPIObject, 'paths' | 'components'>;
  };
  let minimal: {
    peers: Record<string, boolean>;
    sendOtp: { status: number; body: unknown };
    invalidSendOtp: { status: number; body: { responseCode?: number } };
    delivered: Array<{ to: string; containsCode: boolean }>;
    health: Record<string, Record<string, { status: string }>>;
  };

  beforeAll(async () => {
    packDir = await mkdtemp(join(tmpdir(), 'otp-delivery-pack-'));
    // `npm test` builds the library before Jest runs; packing it here must not rebuild under other suites.
    if (!existsSync(join(root, 'libs/otp-delivery/dist/index.js'))) throw new Error('libs/otp-delivery/dist is missing: run "npm run build" first (npm test does)');
    await runCommand('npm', ['pack', '-w', 'nestjs-otp-delivery', '--pack-destination', packDir], { cwd: root });
    const tarball = (await readdir(packDir)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    // One after the other: the machine running the suites is small.
    full = (await runConsumer(join(packDir, tarball), {
      main: join(import.meta.dirname, 'consumer-app/main.ts'),
      peers: [...BASE_PEERS, '@nestjs/terminus', '@nestjs/swagger'],
    })) as typeof full;
    minimal = (await runConsumer(join(packDir, tarball), {
      main: join(import.meta.dirname, 'minimal-consumer-app/main.ts'),
      peers: BASE_PEERS,
    })) as typeof minimal;
  }, 720_000);

  afterAll(async () => {
    if (packDir) await rm(packDir, { recursive: true, force: true });
  });

  it('type-checks against the shipped declarations, boots, and delivers a sendOTP code unchanged', () => {
    expect(full.sendOtp).toEqual({ status: 200, body: {} });
    expect(full.delivered).toEqual([{ to: '00819012345678', containsCode: true, encoding: 'UCS-2' }]);
  });

  it('stops a misconfigured app at boot, naming the bad keys', () => {
    expect(full.bootError).toContain('cm.sender must be 3 to 11 characters');
    expect(full.bootError).toContain('cm.maxMessageParts must be at most 10');
  });

  it("serves the health checks through the app's own TerminusModule", () => {
    expect(full.health.status).toBe(200);
    expect(full.health.body.status).toBe('ok');
    expect(full.health.body.details).toMatchObject({ cm: { status: 'up' }, smtp: { status: 'up' }, store: { status: 'up' } });
  });

  it('documents the callbacks, with @nestjs/swagger loaded by the package itself, exactly as the sources do', async () => {
    const harness = await startCallbackApp();
    try {
      const expected = SwaggerModule.createDocument(harness.app, new DocumentBuilder().build());
      const callbackPaths = (paths: OpenAPIObject['paths']) => Object.fromEntries(Object.entries(paths).filter(([path]) => path !== '/health'));
      expect(Object.keys(callbackPaths(full.openapi.paths))).toHaveLength(5);
      expect(callbackPaths(full.openapi.paths)).toEqual(callbackPaths(expected.paths));
      expect(full.openapi.components).toEqual(expected.components);
    } finally {
      await harness.close();
    }
  });

  describe('in an app without @nestjs/swagger, @nestjs/terminus or prom-client', () => {
    it('is really installed without them', () => {
      expect(minimal.peers).toEqual({ swagger: false, terminus: false, promClient: false });
    });

    it('type-checks, boots, and answers a sendOTP, delivering the code unchanged', () => {
      expect(minimal.sendOtp).toEqual({ status: 200, body: {} });
      expect(minimal.delivered).toEqual([{ to: '00818023456789', containsCode: true }]);
    });

    it('still validates the callback bodies: a malformed code answers 400 with the Thales 112', () => {
      expect(minimal.invalidSendOtp.status).toBe(400);
      expect(minimal.invalidSendOtp.body.responseCode).toBe(112);
    });

    it('answers health results Terminus could read, with no Terminus installed', () => {
      expect(minimal.health).toMatchObject({ cm: { cm: { status: 'up' } }, store: { store: { status: 'up', failMode: 'closed' } } });
    });
  });
});
