// ESLint (typescript-eslint strict) for the service, its tests, benchmarks and scripts; Prettier owns formatting
// (eslint-config-prettier turns off the rules it would fight). Run by `npm test` through `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      // Nest modules are empty classes carrying a decorator: that is the framework's shape, not a smell.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON answers of the service and the sandboxes: `any` for an answer body and `!` after an
    // expect() that proved the value present are the readable choice there. Product code gets neither.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Damage tests remove a mapping role by name on purpose.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  prettier,
);
