// Lint: the recommended TypeScript rules plus the ones that keep promises from floating
// (GUIDE invariant 5) and the core free of editor and file-system imports (invariant 1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const core = ['server/src/model/**', 'server/src/site/**', 'server/src/catalog/**', 'server/src/semantics/**', 'server/src/edits/**', 'server/src/checks/**', 'server/src/analysis/**', 'server/src/project.ts',
  'server/src/features/**', 'server/src/versions/**', 'server/src/log/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', '.e2e/**', '.tmp/**', 'test-output/**', '*.vsix', 'test/e2e/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: core,
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'path', 'node:path', 'child_process', 'node:child_process'] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'process'],
    },
  },
  {
    // node:test's test() returns a promise the runner itself awaits.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js', 'test/e2e/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
