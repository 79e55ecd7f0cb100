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
    // Tests read whatever JSON a REST call, kubectl or a report returns, and assert on its shape.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
