// @ts-check
import path from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * One zone per layer: it may import nothing above it (nor main.tsx, the entry).
 * @param {string[]} layers top first
 */
function layerZones(layers) {
  return layers.slice(1).map((layer, i) => ({
    target: `./${layer}`,
    from: ['./main.tsx', ...layers.slice(0, i + 1).map((above) => `./${above}`)],
    message: `${layer}/ sits below ${layers.slice(0, i + 1).join(', ')}: imports point down only (docs/client.md "Layout").`,
  }));
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.tsbuild/**',
      '**/dev-dist/**',
      'data/**',
      '**/test-results/**',
      '**/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', '*/*.mjs', '*/scripts/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The client's layers (docs/client.md "Layout"): imports point down only,
  // app → apps/* → ui → pwa → sync → db → domain, an app never imports another app, and no
  // file imports in a circle. Tests and client/src/test/ may reach any layer to set one up,
  // but take part in the cycle check. client/src/layers.test.ts shows each rule failing.
  {
    files: ['client/src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Read .ts/.tsx dependencies too (by default only .js ones are followed, and no cycle is seen).
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'client/tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: path.join(import.meta.dirname, 'client/src'),
          zones: [
            ...layerZones(['app', 'apps', 'ui', 'pwa', 'sync', 'db', 'domain']),
            ...['waiter', 'kitchen', 'manage'].map((app) => ({
              target: `./apps/${app}`,
              from: './apps',
              except: [`./${app}`],
              message: 'An app never imports another app: move what both need down to ui/ (or below).',
            })),
            {
              target: './',
              from: './test',
              message: 'client/src/test/ holds test helpers: only tests import them.',
            },
          ],
        },
      ],
    },
  },
  {
    // Screens read and write through db/ and sync/: they never query IndexedDB themselves.
    files: ['client/src/main.tsx', 'client/src/{app,apps,ui,pwa}/**/*.{ts,tsx}'],
    // The kitchen board's live query moves into db/ with the board's rework.
    ignores: ['client/src/apps/kitchen/data.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        ...['dexie', 'dexie-react-hooks'].map((name) => ({
          name,
          message: 'Screens go through the functions and hooks of client/src/db/ (add one there).',
        })),
      ],
    },
  },
  {
    // sync/api.ts is the one place that calls fetch (timeouts, headers, answers checked).
    files: ['client/src/**/*.{ts,tsx}'],
    ignores: ['client/src/sync/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Requests go through sync/api.ts (Api), the one place that calls fetch.' },
      ],
    },
  },
  {
    // Tests and their helpers set a layer up with the real pieces above it.
    files: ['client/src/**/*.test.{ts,tsx}', 'client/src/test/**'],
    rules: { 'import-x/no-restricted-paths': 'off', 'no-restricted-imports': 'off', 'no-restricted-globals': 'off' },
  },
  {
    // The server: no module imports itself back through others (an import cycle makes load
    // order matter and hides which layer owns what). Type-only imports are not counted.
    files: ['server/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import `./x.js` for `./x.ts` (NodeNext); resolve it the way tsc does.
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { URL: 'readonly', console: 'readonly', process: 'readonly' } },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/test/**/*.ts', '**/bench/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      // Tests and benchmarks read JSON bodies they have not validated, on purpose: they
      // check what the server sent, not what the schemas promise.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
