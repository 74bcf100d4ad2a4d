import { createRequire } from 'node:module';
import type * as LibPhoneNumber from 'libphonenumber-js/max';

/**
 * `libphonenumber-js` with its full metadata (number types are needed), loaded as its CommonJS
 * build. class-validator, which the library loads for its options, requires that build; importing
 * the package's ES build as well would keep a second copy of its code and metadata, about 2 MiB of
 * heap for the life of the process (BENCHMARKS.md, "Memory").
 */
export const libphonenumber = createRequire(import.meta.url)('libphonenumber-js/max') as typeof LibPhoneNumber;
