// Layers (STYLE.md §1): shared/ is pure and imports only itself and pure packages; renderer/ and
// electron/ and server/ import shared/; nothing imports renderer/ or electron/ from outside.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Bare module names are matched exactly (`paths`), folder globs as patterns, so that
// `../crypto/hash` is not mistaken for Node's `crypto`.
const layer = (modules, message) => {
  const globs = modules.filter((m) => m.includes('*'));
  const names = modules.filter((m) => !m.includes('*'));
  return {
    'no-restricted-imports': [
      'error',
      { paths: names.map((name) => ({ name, message })), patterns: [{ group: globs, message }] },
    ],
  };
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'tests/bench/results/**',
      'clinic-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: layer(
      [
        '**/renderer/**',
        '**/electron/**',
        '**/server/**',
        'react',
        'react-dom',
        'dexie',
        'electron',
        'node:*',
        'fs',
        'path',
        'crypto',
        'fastify',
        'pg',
        '@mantine/*',
      ],
      'shared/ is pure TypeScript: no renderer, electron, server, DOM or Node imports (STYLE.md §1).',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: layer(
      ['**/electron/**', '**/server/**', 'electron', 'node:*', 'fs', 'path', 'fastify', 'pg'],
      'renderer/ imports shared/ only; the desktop side is reached through the IPC contract (STYLE.md §1).',
    ),
  },
  {
    files: ['electron/**/*.ts'],
    rules: layer(
      ['**/renderer/**', '**/server/**', 'react', 'react-dom', 'dexie', '@mantine/*'],
      'electron/ imports shared/ only (STYLE.md §1).',
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: layer(
      ['**/renderer/**', '**/electron/**', 'react', 'react-dom', 'dexie', 'electron', '@mantine/*'],
      'server/ imports shared/ only (STYLE.md §1).',
    ),
  },
);
