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
