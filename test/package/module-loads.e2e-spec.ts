import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../support/run-command.js';

const root = resolve(import.meta.dirname, '../..');
const here = join(import.meta.dirname, 'module-loads');
const recorder = resolve(import.meta.dirname, '../support/record-imports.mjs');

/**
 * Boots the built package in its own Node process, with a module hook that records every import,
 * and answers which of ioredis, nodemailer, @nestjs/terminus and @nestjs/swagger were loaded once
 * the app was up, and which of them were loaded later: by the first email (scenario `configured`)
 * or by `applyOtpDeliveryOpenApi()` (the others).
 */
async function packagesLoadedBy(
  scenario: 'minimal' | 'configured' | 'smtp' | 'on-demand',
): Promise<{ loaded: string[]; emailsKept?: number; swaggerFound?: boolean; loadedLater: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'otp-module-loads-'));
  try {
    const output = await runCommand(process.execPath, ['--import', recorder, join(here, 'boot.mjs'), scenario], {
      cwd: root,
      env: { ...process.env, LOADED_MODULES_LOG: join(dir, 'loaded.log') },
      timeoutMs: 60_000,
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { booted?: boolean; loaded?: string[]; emailsKept?: number; swaggerFound?: boolean; loadedLater?: string[] };
    expect(result.booted).toBe(true);
    return { loaded: result.loaded ?? [], emailsKept: result.emailsKept, swaggerFound: result.swaggerFound, loadedLater: result.loadedLater ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('what the built package loads', () => {
  beforeAll(() => {
    // `npm test` builds the library before Jest runs.
    if (!existsSync(join(root, 'libs/otp-delivery/dist/index.js'))) throw new Error('libs/otp-delivery/dist is missing: run "npm run build" first (npm test does)');
  });

  it('loads neither ioredis, nodemailer nor @nestjs/terminus for the memory store with no email', async () => {
    const { loaded } = await packagesLoadedBy('minimal');
    expect(loaded).not.toContain('ioredis');
    expect(loaded).not.toContain('nodemailer');
    expect(loaded).not.toContain('@nestjs/terminus');
    // Installed here, so the module applies the callbacks' OpenAPI metadata when it is set up
    // (test/package proves an app without it).
    expect(loaded).toContain('@nestjs/swagger');
  });

  it("loads @nestjs/swagger with openApi: 'on-demand' only when the app applies the metadata", async () => {
    const { loaded, swaggerFound, loadedLater } = await packagesLoadedBy('on-demand');
    expect(loaded).not.toContain('@nestjs/swagger');
    expect(swaggerFound).toBe(true);
    expect(loadedLater).toEqual(['@nestjs/swagger']);
  });

  it('loads ioredis for store.type redis, and nodemailer for the email outbox only with the first email (the recorder sees them when they load)', async () => {
    const { loaded, emailsKept, loadedLater } = await packagesLoadedBy('configured');
    expect(loaded).toContain('ioredis');
    expect(loaded).not.toContain('nodemailer');
    expect(loaded).not.toContain('@nestjs/terminus');
    expect(emailsKept).toBe(1);
    expect(loadedLater).toEqual(['nodemailer']);
  });

  it('loads nodemailer at boot for an SMTP server', async () => {
    const { loaded } = await packagesLoadedBy('smtp');
    expect(loaded).toContain('nodemailer');
  });
});
