// `node --import ./record-imports.mjs app.mjs`: every module the app imports is resolved through
// the hook below, which appends its URL to the file named by LOADED_MODULES_LOG before the import
// goes on, so the log is complete when the app reads it. (CommonJS `require` calls do not pass
// through this hook on Node 20; boot.mjs reads require.cache for those.)
import { register } from 'node:module';

register('./import-recorder.hooks.mjs', import.meta.url, { data: { log: process.env.LOADED_MODULES_LOG } });
