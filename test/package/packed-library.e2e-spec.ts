import { mkdtemp, readFile, rm, writeFile, copyFile, readdir, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { runCommand } from '../support/run-command.js';
import { startCallbackApp } from '../tokenization/support/callback-app.js';
import { redisUnavailableReason, startRedis, type TestRedis } from '../support/redis.js';
// @ts-expect-error: a plain ESM script without type declarations
import { readmeSnippets } from '../../scripts/readme-snippets.js';

const root = resolve(import.meta.dirname, '../..');

interface ReadmeSnippet {
  readonly line: number;
  readonly file: string;
  readonly code: string;
  readonly kind: 'app' | 'feature' | 'script' | 'compile' | 'invalid';
}

/** What a step in the throwaway app printed last (JSON), or why it failed. */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(step: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

const lastJsonLine = (output: string) => JSON.parse(output.trim().split('\n').at(-1) ?? '{}');

const COMPILER_OPTIONS = { target: 'ES2022', strict: true, experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: false, types: ['node'] };

/**
 * What an issuer does: `npm pack` the library, install the tarball into a fresh app outside the
 * monorepo (no path alias, no workspace link), compile with tsc against the shipped `.d.ts`, and
 * boot. One install serves every app here:
 * - `esm/`: an ES module Nest app (`"type": "module"`, NodeNext);
 * - `esm/readme/`: every TypeScript snippet of README.md, compiled, and each module set-up booted
 *   (scripts/readme-snippets.js says how; a snippet marked `<!-- snippet: compile-only -->` is only
 *   compiled, for what this test cannot provide);
 * - `cjs/`: a CommonJS Nest app (`"module": "commonjs"`, no `"type": "module"`, node10 resolution)
 *   requiring `nestjs-otp-delivery` and `nestjs-otp-delivery/testing`.
 */
describe('the packed nestjs-otp-delivery package', () => {
  let workDir: string;
  let redis: TestRedis | null = null;
  const snippets: ReadmeSnippet[] = readmeSnippets();
  let esm: Outcome<{
    sendOtp: { status: number; body: unknown };
    delivered: Array<{ to: string; containsCode: boolean; encoding: string }>;
    bootError: string;
    health: { status: number; body: { status: string; details: Record<string, { status: string }> } };
    openapi: Pick<OpenAPIObject, 'paths' | 'components'>;
  }>;
  let minimal: Outcome<{
    peers: Record<string, boolean>;
    sendOtp: { status: number; body: unknown };
    invalidSendOtp: { status: number; body: { responseCode?: number } };
    delivered: Array<{ to: string; containsCode: boolean }>;
    health: Record<string, Record<string, { status: string }>>;
  }>;
  let readmeCompile: Outcome<string>;
  let readmeBoot: Outcome<{ results: Array<{ line: number; file: string; kind: string; error?: string }> }>;
  let cjsCompile: Outcome<string>;
  let cjsRun: Outcome<Record<string, unknown>>;
  let cjsNodeNext: Outcome<string>;
  let node10WithoutTypesVersions: Outcome<string>;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'otp-delivery-consumer-'));
    // `npm test` builds the library before Jest runs; packing it here must not rebuild under other suites.
    if (!existsSync(join(root, 'libs/otp-delivery/dist/index.js'))) throw new Error('libs/otp-delivery/dist is missing: run "npm run build" first (npm test does)');
    await runCommand('npm', ['pack', '-w', 'nestjs-otp-delivery', '--pack-destination', workDir], { cwd: root });
    const tarball = (await readdir(workDir)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');

    const rootPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    const dev: Record<string, string> = rootPackage.devDependencies;
    const peers = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/terminus', '@nestjs/swagger', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs'];
    // What the README's snippets use besides the peers.
    const readmeDependencies = ['@nestjs/config', '@nestjs/testing'];
    await writeFile(
      join(workDir, 'package.json'),
      JSON.stringify({
        name: 'throwaway-issuer-app',
        private: true,
        type: 'module',
        dependencies: { 'nestjs-otp-delivery': `file:./${tarball}`, ...Object.fromEntries([...peers, ...readmeDependencies].map((name) => [name, dev[name]])) },
        devDependencies: { typescript: dev.typescript, '@types/node': dev['@types/node'] },
      }),
    );
    // The registry is reachable wherever `npm ci` ran; --prefer-offline reuses its cache.
    await runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: workDir, timeoutMs: 300_000 });
    const tsc = (project: string, ...args: string[]) => runCommand(join(workDir, 'node_modules/.bin/tsc'), ['-p', project, ...args], { cwd: workDir });

    // The ES module app.
    await mkdir(join(workDir, 'esm/readme/snippets'), { recursive: true });
    const esmOptions = { ...COMPILER_OPTIONS, module: 'NodeNext', moduleResolution: 'NodeNext' };
    await writeFile(join(workDir, 'esm/tsconfig.json'), JSON.stringify({ compilerOptions: { ...esmOptions, outDir: 'out' }, files: ['main.ts'] }));
    await copyFile(join(import.meta.dirname, 'consumer-app/main.ts'), join(workDir, 'esm/main.ts'));
    esm = await attempt(async () => {
      await tsc('esm/tsconfig.json');
      return lastJsonLine(await runCommand('node', ['esm/out/main.js'], { cwd: workDir, timeoutMs: 60_000 }));
    });

    // The README's snippets, next to the ES module app.
    for (const snippet of snippets) await writeFile(join(workDir, 'esm/readme/snippets', snippet.file), snippet.code);
    await writeFile(join(workDir, 'esm/readme/snippets/manifest.json'), JSON.stringify(snippets.map(({ line, file, kind }) => ({ line, file, kind }))));
    await copyFile(join(import.meta.dirname, 'readme-app/boot-snippets.ts'), join(workDir, 'esm/readme/boot-snippets.ts'));
    await writeFile(join(workDir, 'esm/readme/tsconfig.json'), JSON.stringify({ compilerOptions: { ...esmOptions, outDir: 'out' }, include: ['boot-snippets.ts', 'snippets/*.ts'] }));
    readmeCompile = await attempt(() => tsc('esm/readme/tsconfig.json'));
    if (readmeCompile.ok) {
      await copyFile(join(workDir, 'esm/readme/snippets/manifest.json'), join(workDir, 'esm/readme/out/snippets/manifest.json'));
      redis = await startRedis();
      if (!redis) throw new Error(`The README's Redis snippet needs a Redis: ${redisUnavailableReason}`);
      const env = {
        ...process.env,
        CM_PRODUCT_TOKEN: '00000000-0000-0000-0000-000000000000',
        CM_SENDER: 'MyBank',
        CM_STATUS_REPORT_SECRET: 'readme-status-report-secret-0001',
        ISSUER_ID: 'ISSUER0001',
        SMTP_URL: 'smtp://127.0.0.1:2525',
        OTP_PROXY_SECRET: 'readme-proxy-secret-000000000000000',
        REDIS_URL: redis.url,
        OTP_METHOD_ID_SECRET: 'readme-method-id-secret-00000000000',
        OTP_HASH_KEY: 'readme-hash-key-00000000000000000000',
      };
      readmeBoot = await attempt(async () => lastJsonLine(await runCommand('node', ['esm/readme/out/boot-snippets.js'], { cwd: workDir, env, timeoutMs: 120_000 })));
    }

    // The CommonJS app: no "type": "module" in its folder.
    await mkdir(join(workDir, 'cjs'), { recursive: true });
    await writeFile(join(workDir, 'cjs/package.json'), JSON.stringify({ name: 'throwaway-commonjs-issuer-app', private: true }));
    await copyFile(join(import.meta.dirname, 'cjs-consumer-app/main.ts'), join(workDir, 'cjs/main.ts'));
    const cjsOptions = { ...COMPILER_OPTIONS, module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true };
    await writeFile(join(workDir, 'cjs/tsconfig.json'), JSON.stringify({ compilerOptions: { ...cjsOptions, outDir: 'out' }, files: ['main.ts'] }));
    cjsCompile = await attempt(async () => {
      await tsc('cjs/tsconfig.json');
      return readFile(join(workDir, 'cjs/out/main.js'), 'utf8');
    });
    if (cjsCompile.ok) cjsRun = await attempt(async () => lastJsonLine(await runCommand('node', ['cjs/out/main.js'], { cwd: workDir, timeoutMs: 60_000 })));
    // What `nest new` generates: CommonJS output with "module": "nodenext".
    await writeFile(
      join(workDir, 'cjs/tsconfig.nodenext.json'),
      JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true }, files: ['main.ts'] }),
    );
    cjsNodeNext = await attempt(() => tsc('cjs/tsconfig.nodenext.json'));
    // The control: without typesVersions, node10 resolution cannot see `nestjs-otp-delivery/testing`.
    const installed = join(workDir, 'node_modules/nestjs-otp-delivery/package.json');
    const manifest = await readFile(installed, 'utf8');
    const { typesVersions: _typesVersions, ...withoutTypesVersions } = JSON.parse(manifest);
    await writeFile(installed, JSON.stringify(withoutTypesVersions));
    node10WithoutTypesVersions = await attempt(() => tsc('cjs/tsconfig.json', '--noEmit'));
    await writeFile(installed, manifest);

    // A second install, one after the other (the machine running the suites is small): an app with
    // only the core peers, to prove @nestjs/swagger, @nestjs/terminus and prom-client are optional.
    minimal = await attempt(async () => runMinimalConsumer(join(workDir, tarball), dev));
  }, 900_000);

  afterAll(async () => {
    await redis?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  function value<T>(outcome: Outcome<T> | undefined): T {
    if (!outcome) throw new Error('this step did not run: an earlier one failed');
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.value;
  }

  describe('in an ES module app', () => {
    it('type-checks against the shipped declarations, boots, and delivers a sendOTP code unchanged', () => {
      const result = value(esm);
      expect(result.sendOtp).toEqual({ status: 200, body: {} });
      expect(result.delivered).toEqual([{ to: '00819012345678', containsCode: true, encoding: 'UCS-2' }]);
    });

    it('stops a misconfigured app at boot, naming the bad keys', () => {
      const result = value(esm);
      expect(result.bootError).toContain('cm.sender must be 3 to 11 characters');
      expect(result.bootError).toContain('cm.maxMessageParts must be at most 10');
    });

    it("serves the health checks through the app's own TerminusModule", () => {
      const { health } = value(esm);
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      expect(health.body.details).toMatchObject({ cm: { status: 'up' }, smtp: { status: 'up' }, store: { status: 'up' } });
    });

    it('documents the callbacks, with @nestjs/swagger loaded by the package itself, exactly as the sources do', async () => {
      const { openapi } = value(esm);
      const harness = await startCallbackApp();
      try {
        const expected = SwaggerModule.createDocument(harness.app, new DocumentBuilder().build());
        const callbackPaths = (paths: OpenAPIObject['paths']) => Object.fromEntries(Object.entries(paths).filter(([path]) => path !== '/health'));
        expect(Object.keys(callbackPaths(openapi.paths))).toHaveLength(5);
        expect(callbackPaths(openapi.paths)).toEqual(callbackPaths(expected.paths));
        expect(openapi.components).toEqual(expected.components);
      } finally {
        await harness.close();
      }
    });
  });

  describe('in an app without @nestjs/swagger, @nestjs/terminus or prom-client', () => {
    it('is really installed without them', () => {
      expect(value(minimal).peers).toEqual({ swagger: false, terminus: false, promClient: false });
    });

    it('type-checks, boots, and answers a sendOTP, delivering the code unchanged', () => {
      expect(value(minimal).sendOtp).toEqual({ status: 200, body: {} });
      expect(value(minimal).delivered).toEqual([{ to: '00818023456789', containsCode: true }]);
    });

    it('still validates the callback bodies: a malformed code answers 400 with the Thales 112', () => {
      expect(value(minimal).invalidSendOtp.status).toBe(400);
      expect(value(minimal).invalidSendOtp.body.responseCode).toBe(112);
    });

    it('answers health results Terminus could read, with no Terminus installed', () => {
      expect(value(minimal).health).toMatchObject({ cm: { cm: { status: 'up' } }, store: { store: { status: 'up', failMode: 'closed' } } });
    });
  });

  describe("README.md's TypeScript snippets", () => {
    it('are all complete set-ups the test knows how to check', () => {
      expect(snippets.filter((snippet) => snippet.kind === 'invalid')).toEqual([]);
      expect(snippets.length).toBeGreaterThanOrEqual(15);
    });

    it('all compile against the packed package', () => {
      value(readmeCompile);
    });

    it('boot: each app alone, each feature module inside the README AppModule, each test script run', () => {
      const { results } = value(readmeBoot);
      const run = snippets.filter((snippet) => snippet.kind !== 'compile').map(({ line, file, kind }) => ({ line, file, kind }));
      expect(results).toEqual(run);
      expect(results.filter((result) => result.kind === 'app').length).toBeGreaterThanOrEqual(7);
    });
  });

  describe('in a CommonJS app ("module": "commonjs", no "type": "module")', () => {
    it("type-checks with node10 resolution, nestjs-otp-delivery/testing included (the package's typesVersions), emitting require() calls", () => {
      const emitted = value(cjsCompile);
      expect(emitted).toContain('require("nestjs-otp-delivery")');
      expect(emitted).toContain('require("nestjs-otp-delivery/testing")');
    });

    it('without typesVersions, node10 resolution would not find nestjs-otp-delivery/testing (the control)', () => {
      expect(node10WithoutTypesVersions.ok).toBe(false);
      expect(node10WithoutTypesVersions.ok ? '' : node10WithoutTypesVersions.error).toMatch(/TS2307: Cannot find module 'nestjs-otp-delivery\/testing'/);
    });

    it('boots through require(esm) with OtpDeliveryTestingModule, answers sendOTP and delivers email', () => {
      expect(value(cjsRun)).toEqual({
        moduleFormat: 'commonjs',
        sendOtp: { status: 200, body: {} },
        sms: [{ to: '00818023456789', containsCode: true }],
        email: [{ to: ['hanako@example.jp'], containsCode: true }],
      });
    });

    it('type-checks with "module": "nodenext" too, as `nest new` configures it', () => {
      value(cjsNodeNext);
    });
  });
});

/** The peers a Nest 12 app on Express has anyway. */
const BASE_PEERS = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'class-validator', 'class-transformer', 'reflect-metadata', 'rxjs'];

/**
 * An app with the core peers only, in its own folder: installs the tarball, compiles
 * `minimal-consumer-app/main.ts` against the shipped `.d.ts` (skipLibCheck off), runs it, and
 * answers the JSON it prints last.
 */
async function runMinimalConsumer(tarball: string, dev: Record<string, string>): Promise<never> {
  const workDir = await mkdtemp(join(tmpdir(), 'otp-delivery-minimal-consumer-'));
  try {
    await copyFile(tarball, join(workDir, 'nestjs-otp-delivery.tgz'));
    await writeFile(
      join(workDir, 'package.json'),
      JSON.stringify({
        name: 'throwaway-minimal-issuer-app',
        private: true,
        type: 'module',
        dependencies: { 'nestjs-otp-delivery': 'file:./nestjs-otp-delivery.tgz', ...Object.fromEntries(BASE_PEERS.map((name) => [name, dev[name]])) },
        devDependencies: { typescript: dev.typescript, '@types/node': dev['@types/node'] },
      }),
    );
    await writeFile(
      join(workDir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out' }, files: ['main.ts'] }),
    );
    await copyFile(join(import.meta.dirname, 'minimal-consumer-app/main.ts'), join(workDir, 'main.ts'));
    await runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: workDir, timeoutMs: 300_000 });
    await runCommand(join(workDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: workDir });
    return lastJsonLine(await runCommand('node', ['out/main.js'], { cwd: workDir, timeoutMs: 60_000 })) as never;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
