/**
 * Jest 30 in ESM mode (NestJS 12 is ESM-only). Run through `npm run test:jest`, which sets
 * `--experimental-vm-modules`. The library is imported by its package name, mapped to its sources.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/libs', '<rootDir>/sample-app', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  moduleNameMapper: {
    // Jest on Node < 24.9 cannot require() an ES module such as @nestjs/swagger: the library's
    // synchronous swagger loader is replaced here by a static import (test/support/load-swagger.jest.ts);
    // test/package runs the real one against the built package, with and without swagger installed.
    '^\\./load-swagger\\.js$': '<rootDir>/test/support/load-swagger.jest.ts',
    '^nestjs-otp-delivery$': '<rootDir>/libs/otp-delivery/src/index.ts',
    '^nestjs-otp-delivery/testing$': '<rootDir>/libs/otp-delivery/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  // Suites open real sockets (SMTP, Redis, HTTP); two workers match this project's 2-core CI machine.
  maxWorkers: 2,
  // Each ESM suite leaves its module registry in the worker's heap (--experimental-vm-modules), and
  // two workers that ran half the suites each grew large. A worker past this is replaced between
  // suites, after their afterAll hooks: full runs took 197 to 220 s against 239 to 259 without it.
  // Jest's "A worker process has failed to exit gracefully" at the end of a run (no handle left open
  // that a SIGTERM handler in the worker could report) became rarer (once in four full runs, against
  // each of the four before it on 2026-12-01) but is not gone: its cause is not found.
  workerIdleMemoryLimit: '700MB',
};
