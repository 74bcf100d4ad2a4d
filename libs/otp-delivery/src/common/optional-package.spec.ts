import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireOptionalPackage } from './optional-package.js';

/** An app folder with real packages in its node_modules, as the loader meets them. */
function appWith(packages: Record<string, string>): { parentUrl: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'optional-package-'));
  for (const [name, source] of Object.entries(packages)) {
    const folder = join(dir, 'node_modules', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(folder, 'index.js'), source);
  }
  return { dir, parentUrl: pathToFileURL(join(dir, 'app.js')).href };
}

describe('requireOptionalPackage', () => {
  const app = appWith({
    'present-peer': 'module.exports = { answer: 42 };',
    'peer-missing-a-dependency': "module.exports = require('dependency-nobody-installed');",
    'peer-failing-at-load': "throw new Error('peer failed while loading');",
  });
  afterAll(() => rmSync(app.dir, { recursive: true, force: true }));

  it('answers the installed package', () => {
    expect(requireOptionalPackage('present-peer', app.parentUrl)).toEqual({ answer: 42 });
  });

  it('answers undefined for a package that is not installed', () => {
    expect(requireOptionalPackage('absent-peer', app.parentUrl)).toBeUndefined();
  });

  it('throws when the package is there but one of its own dependencies is missing (a broken install is not "absent")', () => {
    expect(() => requireOptionalPackage('peer-missing-a-dependency', app.parentUrl)).toThrow(/dependency-nobody-installed/);
  });

  it('throws when the package fails while loading', () => {
    expect(() => requireOptionalPackage('peer-failing-at-load', app.parentUrl)).toThrow('peer failed while loading');
  });
});
