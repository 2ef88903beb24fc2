import { defineConfig } from 'vitest/config';

/** Unit tests sit next to the code; main-side tests run in Node with Electron mocked. */
export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'preload/**/*.test.ts', 'models/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
  },
});
