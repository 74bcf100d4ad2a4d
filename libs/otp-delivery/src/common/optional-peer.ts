import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * An optional peer dependency, loaded synchronously when the app installed it, else undefined.
 * `require` loads ESM too on Node >= 20.19 (`require(esm)`), and keeps the library free of
 * top-level await, which CommonJS consumers could not load.
 */
export function loadOptionalPeer<T>(name: string): T | undefined {
  try {
    return requireFromHere(name) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND' || (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
