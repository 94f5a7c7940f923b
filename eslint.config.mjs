import tseslint from 'typescript-eslint';

// Node built-ins and drivers that must never reach workflow code (it runs in Temporal's deterministic sandbox).
const forbiddenInWorkflows = [
  'node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'stream', 'events', 'util',
  'worker_threads', 'timers', 'dns', 'zlib', 'mongodb', 'ldapts', 'express', 'csv-parse', 'csv-parse/*',
  'pino', 'quickjs-emscripten', '@temporalio/worker', '@temporalio/client', '@temporalio/activity',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: forbiddenInWorkflows, message: 'Workflow code must stay deterministic: no Node built-ins, drivers or activity implementations.' },
            { group: ['../activities/*', '../store/*', '../connectors/*', '../scripting/*', '../api/*'], allowTypeImports: true, message: 'Workflows see activities only as types (import type).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' }, { name: 'setInterval', message: 'use sleep() in a loop' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Math.random is replaced in workflows; prefer uuid4() from @temporalio/workflow' }],
    },
  },
  {
    files: ['eslint.config.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
