// Preloaded with `node --import` (test/app/sample-app-lazy-dependencies.e2e-spec.ts): every file the
// process loads, ES module or CommonJS, is appended to the file named by LOADED_MODULES_FILE.
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const file = process.env.LOADED_MODULES_FILE;
if (file) {
  register(new URL('./record-loaded-modules.hooks.mjs', import.meta.url), { data: { file } });
  // CommonJS loads (`require`, `createRequire`) do not go through the hooks above on Node 20.
  const load = Module._load;
  Module._load = function recordedLoad(request, parent, isMain) {
    const exported = load.apply(this, [request, parent, isMain]);
    try {
      appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // A built-in or an unresolvable name: nothing to record.
    }
    return exported;
  };
}
