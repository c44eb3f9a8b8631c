// Lints the workflow sandbox: workflow code may not reach Node, the database, mail or the API.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net'], message: 'Workflow code is sandboxed: no Node built-ins.' },
          { group: ['typeorm', 'pg', 'nodemailer', '@nestjs/*', 'class-validator', 'class-transformer', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Side effects belong in activities/.' },
          { group: ['**/activities/*', '**/activities', '**/db/*', '**/api/*', '**/infra/*'], allowTypeImports: true, message: 'Only `import type` from outside workflows/.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows get configuration as input, not from the environment.' }],
    },
  },
);
