// Extracts the TypeScript snippets of README.md, so the tests compile every one against the packed
// package and boot every module set-up among them (test/package/packed-library.e2e-spec.ts).
// `node scripts/readme-snippets.js` lists them with their file name and what the test does with each.
//
// Conventions (README.md follows them; test/docs/readme-snippets.e2e-spec.ts checks it):
// - every ```ts fence is a complete file: imports included. A first line `// name.ts` names the
//   file (other snippets may import it as `./name.js`); unnamed ones are `readme-<line>.ts`.
// - a snippet that exports `AppModule` is an app: it is booted alone (Nest app created, initialised,
//   closed). One that declares other modules (`@Module`) is a feature module: it is booted inside
//   the README's own app, the `AppModule` of `app.module.ts`, as an issuer imports it there.
// - a snippet that builds a testing module (`OtpDeliveryTestingModule` / `Test.createTestingModule`)
//   is a script: running it (importing the file) is its test; it must close what it opens.
// - `<!-- snippet: compile-only -->` on the line before a fence: compiled, never run (for a snippet
//   that needs what the test cannot provide, e.g. a real CM.com account or a fixed port).
// - anything else (a service, a controller on its own, main.ts) is compiled only.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const README = join(root, 'README.md');
export const COMPILE_ONLY = '<!-- snippet: compile-only -->';

const FENCE = /^```(\S*)\s*$/;
const FILE_NAME = /^\/\/ ([\w.-]+\.ts)\b/;

/**
 * Every TypeScript snippet of the markdown, in order: `{ line, file, code, kind }`, `line` being the
 * fence's (1-based) and `kind` one of `app`, `feature`, `script`, `compile`, or `invalid` with a
 * `problem` (a module set-up the test could not boot).
 */
export function readmeSnippets(markdown = readFileSync(README, 'utf8')) {
  const lines = markdown.split('\n');
  const snippets = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]);
    if (!open || open[1] === '') continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end += 1;
    if (open[1] === 'ts' || open[1] === 'typescript') {
      const code = lines.slice(i + 1, end).join('\n') + '\n';
      const named = FILE_NAME.exec(lines[i + 1] ?? '');
      const previous = lines.slice(0, i).reverse().find((line) => line.trim() !== '');
      snippets.push({ line: i + 1, file: named ? named[1] : `readme-${i + 1}.ts`, code, ...classify(code, previous?.trim() === COMPILE_ONLY) });
    }
    i = end;
  }
  return snippets;
}

function classify(code, compileOnly) {
  if (compileOnly) return { kind: 'compile' };
  const declaresModule = /@Module\(/.test(code);
  if (/^export class AppModule\b/m.test(code)) return { kind: 'app' };
  if (declaresModule) {
    return /^export class \w+/m.test(code) ? { kind: 'feature' } : { kind: 'invalid', problem: 'declares a @Module but exports none' };
  }
  if (/OtpDeliveryModule\.forRoot/.test(code)) return { kind: 'invalid', problem: 'registers OtpDeliveryModule outside a @Module: make it a complete AppModule' };
  if (/OtpDeliveryTestingModule\.forRoot|Test\.createTestingModule/.test(code)) return { kind: 'script' };
  return { kind: 'compile' };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const snippet of readmeSnippets()) console.log(`README.md:${snippet.line}\t${snippet.kind}\t${snippet.file}${snippet.problem ? `\t${snippet.problem}` : ''}`);
}
