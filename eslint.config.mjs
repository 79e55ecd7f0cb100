// `npm run lint` (ESLint with typescript-eslint, then Prettier's check); the test suite runs it.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated, vendored or built: never linted.
    ignores: ['**/dist/**', 'proto/gen/**', 'third_party/**', '.run/**', 'node_modules/**', 'tests/fixtures/**'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      // Parameters kept for a signature's sake start with an underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The storefront's app runs in a browser: its globals, not Node's.
    files: ['storefront/web/**/*.{ts,tsx,mts}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        sessionStorage: 'readonly',
        fetch: 'readonly',
        crypto: 'readonly',
        atob: 'readonly',
        URL: 'readonly',
      },
    },
  },
  {
    // Tests read whatever JSON a REST call, kubectl or a report returns, and assert on its shape.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
