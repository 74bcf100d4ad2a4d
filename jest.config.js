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
};
