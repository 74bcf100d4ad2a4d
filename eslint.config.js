import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The library logs through Nest's logger (which issuers can replace), never the console.
      'no-console': 'error',
    },
  },
  {
    // Optional peers and on-demand dependencies (issue 13): the library loads with none of them.
    // Type imports are erased; values come through the one loader or an `await import()` that
    // runs only when the feature is configured.
    files: ['libs/otp-delivery/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          { name: '@nestjs/swagger', allowTypeImports: true, message: 'optional peer: use tokenization/openapi/swagger-decorators.js' },
          { name: '@nestjs/terminus', message: 'optional peer: health/ builds Terminus results itself and imports nothing from it' },
          { name: 'ioredis', allowTypeImports: true, message: 'loaded only for store.type redis: import types, or await import(\'ioredis\') in the factory' },
          { name: 'nodemailer', allowTypeImports: true, message: 'loaded only when email is configured: import types, or await import(\'nodemailer\') in the factory' },
        ],
      }],
    },
  },
  {
    // Programs, sandboxes and tests print to the console on purpose.
    files: ['bench/**', 'scripts/**', 'test/**', '**/*.spec.ts', 'sample-app/**', 'libs/otp-delivery/src/testing/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The sandbox console's page script runs in the browser.
    files: ['sample-app/src/sandbox-console/static/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
