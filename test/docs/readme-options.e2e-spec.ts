import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// @ts-expect-error: a plain ESM script without type declarations
import { BEGIN, END, optionsReference } from '../../scripts/options-reference.js';

describe("the README's configuration reference", () => {
  it('matches the TSDoc of the options classes (run `node scripts/options-reference.js --write`)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end + END.length)).toBe(optionsReference());
  });
});
