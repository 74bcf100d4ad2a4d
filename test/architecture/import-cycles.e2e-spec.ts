import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ESM script without type declarations
import { findImportCycles } from '../../scripts/import-cycles.js';

describe('the library has no import cycles', () => {
  it('among its source files, type-only imports included (run `node scripts/import-cycles.js` to see any)', () => {
    expect(findImportCycles()).toEqual([]);
  });

  it('the check finds a cycle made of type-only imports, so it can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.js';\nexport interface A { b?: B }\n");
      writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.js';\nexport interface B { a?: A }\n");
      writeFileSync(join(dir, 'c.ts'), "export { A } from './a.js';\n");
      const cycles = findImportCycles([join(dir, 'a.ts'), join(dir, 'b.ts'), join(dir, 'c.ts')]);
      expect(cycles).toHaveLength(1);
      expect(cycles[0]).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
