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

/** `x as never` silences every type check at once; shipped code names the type it means instead. */
const noNeverCast = {
  selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']",
  message: 'no `as never` in shipped code: give the value its real type.',
};

/** An adapter's folder, what it may not import, and why. */
const boundaries = [
  { folder: 'plugin', others: ['controller'], entryOnly: ['krm-function'] },
  { folder: 'controller', others: ['plugin', 'krm-function'], entryOnly: [] },
  { folder: 'krm-function', others: ['plugin', 'controller', 'kube'], entryOnly: [] },
  { folder: 'kube', others: ['plugin', 'controller', 'krm-function'], entryOnly: [] },
];

function adapterBoundaries() {
  return boundaries.map(({ folder, others, entryOnly }) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`],
    ignores: [
      `${folder}/**/*.test.ts`,
      `${folder}/**/*.test.tsx`,
      `${folder}/testdata/**`,
      `${folder}/test-support/**`,
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...others.map((o) => ({
              group: [`**/${o}/*`, `**/${o}/**`],
              message: `${folder}/ does not import ${o}/: adapters stay independent (ARCHITECTURE.md).`,
            })),
            ...entryOnly.map((o) => ({
              group: [`**/${o}/**`, `!**/${o}/index.ts`],
              message: `${folder}/ reaches ${o}/ only through ${o}/index.ts.`,
            })),
            ...(folder === 'kube' ? [] : [{ group: ['@kubernetes/*'], message: 'only kube/ talks to an API server.' }]),
            { group: ['**/test/**'], message: 'shipped code never imports the test harness.' },
          ],
        },
      ],
    },
  }));
}

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
        noNeverCast,
      ],
    },
  },
  // Boundaries between the adapters (ARCHITECTURE.md): each reaches another only through its declared public entry,
  // only kube/ talks to an API server, and nothing that ships imports the test harness.
  ...adapterBoundaries(),
  {
    files: ['{kube,plugin,controller,krm-function}/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/testdata/**', '**/test-support/**'],
    rules: { 'no-restricted-syntax': ['error', noNeverCast] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
