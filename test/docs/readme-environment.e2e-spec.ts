import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// @ts-expect-error: a plain ESM script without type declarations
import { BEGIN, END, environmentReference } from '../../scripts/environment-reference.js';

describe("the README's environment table of the sample app", () => {
  it('matches the TSDoc of the Environment class (run `node scripts/environment-reference.js --write`)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end + END.length)).toBe(environmentReference());
  });
});
