import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * Unit tests sit next to the code; main-side tests run in Node with Electron mocked. Renderer
 * tests cover the state under renderer/src/lib, compiled by the Svelte plugin so runes work.
 */
export default defineConfig({
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'models/**/*.test.ts', 'renderer/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['main/test-support/yield-between-tests.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
