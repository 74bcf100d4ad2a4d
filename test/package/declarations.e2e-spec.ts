import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../support/run-command.js';

const root = resolve(import.meta.dirname, '../..');

/** Every declaration file tsc reads for a consumer file that imports `specifier` from the built package. */
async function declarationsReadFor(specifier: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'otp-declarations-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(root, 'libs/otp-delivery'), join(dir, 'node_modules/nestjs-otp-delivery'), 'dir');
    writeFileSync(join(dir, 'consumer.ts'), `import * as library from '${specifier}';\nexport { library };\n`);
    const output = await runCommand(
      join(root, 'node_modules/.bin/tsc'),
      ['--listFilesOnly', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), 'consumer.ts'],
      { cwd: dir },
    );
    return output.split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf('node_modules/')))?.[1];

describe("the built package's declarations", () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'libs/otp-delivery/dist/index.d.ts'))) throw new Error('libs/otp-delivery/dist is missing: run "npm run build" first (npm test does)');
  });

  it('need neither nodemailer, @nestjs/swagger nor @nestjs/terminus from the root entry (the options use types of their own)', async () => {
    const packages = new Set((await declarationsReadFor('nestjs-otp-delivery')).map(packageOf));
    expect(packages).toContain('@nestjs/common');
    expect(packages).not.toContain('nodemailer');
    expect(packages).not.toContain('@nestjs/swagger');
    expect(packages).not.toContain('@nestjs/terminus');
  });

  it('reach nodemailer from the testing entry, whose EmailOutbox is a nodemailer transport (so the check above can see it)', async () => {
    const packages = new Set((await declarationsReadFor('nestjs-otp-delivery/testing')).map(packageOf));
    expect(packages).toContain('nodemailer');
  });
});
