import { createRequire } from 'node:module';

/**
 * Loads an optional peer dependency synchronously, resolved from `parentUrl` (pass
 * `import.meta.url`), and answers `undefined` when the package is not installed.
 *
 * Synchronous on purpose: decorators run while a module is evaluated, and a top-level `await`
 * in the library would stop CommonJS apps from loading it. Node >= 20.19 loads an ES module
 * package through `require` (`require(esm)`), so this works for ESM and CommonJS peers alike.
 *
 * Only the package itself being absent counts as "not installed": a package that is there but
 * fails to load (one of its own dependencies missing, an error while it runs) throws, so a broken
 * install is never mistaken for an optional feature left out.
 */
export function requireOptionalPackage<T>(name: string, parentUrl: string): T | undefined {
  try {
    return createRequire(parentUrl)(name) as T;
  } catch (error) {
    if (isPackageMissing(error, name)) return undefined;
    throw error;
  }
}

/** `Cannot find module 'name'`, about `name` itself (not one of its dependencies). */
function isPackageMissing(error: unknown, name: string): boolean {
  // Duck-typed: the error may come from another realm (a test runner's module loader).
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.startsWith(`Cannot find module '${name}'`);
}
