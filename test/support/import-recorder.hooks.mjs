// Module customization hook (runs on Node's loader thread): records every resolved module URL.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data.log;
  if (!log) throw new Error('LOADED_MODULES_LOG is not set');
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
