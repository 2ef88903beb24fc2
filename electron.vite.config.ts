import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** Builds main (Electron bootstrap + the plain-Node CLI entry), the sandboxed preload, and the renderer. */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/index.ts'),
          cli: resolve('main/cli/index.ts'),
          trainer: resolve('main/engine/training/trainer-child.ts'),
          modelworker: resolve('main/engine/inference/model-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: {
      outDir: 'out/renderer',
      rollupOptions: {
        input: {
          index: resolve('renderer/index.html'),
          'web-bridge': resolve('preload/web-bridge.ts'),
        },
        output: {
          entryFileNames: (chunk) =>
            chunk.name === 'web-bridge' ? 'assets/web-bridge.js' : 'assets/[name]-[hash].js',
        },
      },
    },
  },
});
