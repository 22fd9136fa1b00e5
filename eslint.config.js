// Lint rules; the core purity rule keeps core/ free of I/O, clients, UI, clock and randomness.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const impureModules = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'os',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'process',
  'readline',
  'crypto',
].flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '**/testdata/**', 'charts/**/templates/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impureModules.map((name) => ({ name, message: 'core/ is pure: no I/O.' })),
          patterns: [
            {
              group: ['@kubernetes/*', 'ink', 'ink-*', 'react', 'yargs', 'yargs/*'],
              message: 'core/ is pure: no client or UI.',
            },
            {
              group: ['../kube/*', '../plugin/*', '../controller/*', '../krm-function/*'],
              message: 'core/ depends on nothing else.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core/ is pure: no process state.' },
        { name: 'fetch', message: 'core/ is pure: no I/O.' },
        { name: 'setTimeout', message: 'core/ is pure: no clock.' },
        { name: 'setInterval', message: 'core/ is pure: no clock.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core/ is pure: no clock.' },
        { object: 'Math', property: 'random', message: 'core/ is pure: no randomness.' },
        { object: 'performance', property: 'now', message: 'core/ is pure: no clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ is pure: no clock.' },
        { selector: 'ImportExpression', message: 'core/ is pure: no dynamic imports.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
