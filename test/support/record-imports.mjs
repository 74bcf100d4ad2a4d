// `node --import ./record-imports.mjs app.mjs`: every module the process loads is appended to the
// file named by LOADED_MODULES_LOG, before the load goes on, so the log is complete when it is read:
// - ES modules through the resolve hook of import-recorder.hooks.mjs;
// - CommonJS loads (`require`, `createRequire`), which do not pass through that hook on Node 20,
//   through a wrapper of `Module._load`.
// Used by test/package/module-loads (the built package) and test/app (the built sample app).
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const log = process.env.LOADED_MODULES_LOG;
register('./import-recorder.hooks.mjs', import.meta.url, { data: { log } });

const load = Module._load;
Module._load = function recordedLoad(request, parent, isMain) {
  try {
    appendFileSync(log, `${Module._resolveFilename(request, parent, isMain)}\n`);
  } catch {
    // A name that does not resolve: the load below throws its own error.
  }
  return load.apply(this, [request, parent, isMain]);
};
