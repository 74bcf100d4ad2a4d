import { mkdtemp, readFile, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../support/run-command.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * What an issuer does: `npm pack` the library, install the tarball into a fresh Nest app outside
 * the monorepo (no path alias, no workspace link), compile it with tsc against the shipped
 * `.d.ts`, and boot it.
 */
describe('the packed nestjs-otp-delivery package', () => {
  let workDir: string;
  let result: {
    sendOtp: { status: number; body: unknown };
    delivered: Array<{ to: string; containsCode: boolean; encoding: string }>;
    bootError: string;
  };

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
    await writeFile(
      join(workDir, 'package.json'),
      JSON.stringify({
        name: 'throwaway-issuer-app',
        private: true,
        type: 'module',
        dependencies: { 'nestjs-otp-delivery': `file:./${tarball}`, ...Object.fromEntries(peers.map((name) => [name, dev[name]])) },
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
    await copyFile(join(import.meta.dirname, 'consumer-app/main.ts'), join(workDir, 'main.ts'));
    // The registry is reachable wherever `npm ci` ran; --prefer-offline reuses its cache.
    await runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: workDir, timeoutMs: 300_000 });
    await runCommand(join(workDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: workDir });
    const output = await runCommand('node', ['out/main.js'], { cwd: workDir, timeoutMs: 60_000 });
    result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}');
  }, 420_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('type-checks against the shipped declarations, boots, and delivers a sendOTP code unchanged', () => {
    expect(result.sendOtp).toEqual({ status: 200, body: {} });
    expect(result.delivered).toEqual([{ to: '00819012345678', containsCode: true, encoding: 'UCS-2' }]);
  });

  it('stops a misconfigured app at boot, naming the bad keys', () => {
    expect(result.bootError).toContain('cm.sender must be 3 to 11 characters');
    expect(result.bootError).toContain('cm.maxMessageParts must be at most 10');
  });
});
