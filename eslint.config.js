import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const FS_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'];

/** Import boundaries between the process folders (see STYLE.md), plus the usual rules. */
export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'test-results/', 'playwright-report/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    files: ['renderer/**', 'preload/web-bridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['models/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'models/ is pure: no Electron.' },
            ...FS_MODULES.map((name) => ({ name, message: 'models/ is pure: no file system.' })),
          ],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'models/ imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.studio.' }],
          patterns: [
            {
              // models/masks is pure arithmetic the mask designer previews with, as training draws them.
              group: ['**/main/**', '**/models/**', '!**/models/masks'],
              message: 'The renderer talks to main only through window.studio.',
            },
            { group: ['node:*'], message: 'The renderer has no Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/engine/**', 'main/web-host/**', 'main/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The engine is plain Node: Electron stays in main/index.ts and main/electron/.',
            },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The contract names the mask design's type where it is defined, in pure models/masks.
              group: ['../*', '!../models', '../models/*', '!../models/masks', 'node:*'],
              message: 'preload/ imports only electron and its own contract.ts.',
            },
          ],
        },
      ],
    },
  },
);
