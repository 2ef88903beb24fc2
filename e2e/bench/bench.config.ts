import { defineConfig } from '@playwright/test';
import suite from '../../playwright.config';

/**
 * Benchmarks that drive the studio in Chromium (`npm run bench:canvas`): the end-to-end suite's
 * browser settings, one worker so that nothing else competes for the cores, and no time limit
 * short enough to cut a run of many strokes. They print figures and assert nothing about time.
 */
export default defineConfig({
  ...suite,
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: '../../test-results/bench',
  fullyParallel: false,
  workers: 1,
  timeout: 600_000,
});
