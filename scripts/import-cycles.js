// Finds import cycles among the library's source files, type-only imports included: a cycle is a
// layering knot even when it vanishes at runtime. `node scripts/import-cycles.js` prints every cycle
// (one strongly connected component per line) and exits 1 when there is one; the test suite runs it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceRoot = join(root, 'libs/otp-delivery/src');

/** Every `.ts` file under `dir`, specs excluded (a spec may import what it tests from anywhere). */
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// `import ... from './x.js'`, `import type ...`, `export ... from`, `import('./x.js')`, side-effect `import './x.js'`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The files `file` imports, relative ones only, resolved to `.ts` paths. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const match of text.matchAll(SPECIFIER)) {
    const target = resolve(dirname(file), match[1].replace(/\.js$/, '.ts'));
    targets.add(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return [...targets];
}

/** Strongly connected components of more than one file, or of a file importing itself (Tarjan). */
export function findImportCycles(files = sourceFiles(sourceRoot)) {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  let index = 0;
  const indices = new Map();
  const lowlinks = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (node) => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.map((file) => relative(sourceRoot, file)).sort());
    }
  };
  for (const file of graph.keys()) if (!indices.has(file)) visit(file);
  return cycles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cycles = findImportCycles();
  for (const cycle of cycles) process.stdout.write(`cycle of ${cycle.length} files: ${cycle.join(' -> ')}\n`);
  process.stdout.write(`${cycles.length} import cycle(s) in libs/otp-delivery/src, ${cycles.reduce((sum, c) => sum + c.length, 0)} file(s) in them\n`);
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
