import { defineConfig } from '@playwright/test';

/** Debian's Chromium (Playwright's own browser download does not work everywhere). */
export const CHROMIUM = process.env.GANSTUDIO_CHROMIUM ?? '/usr/bin/chromium';

/** End-to-end tests: the web host in Chromium everywhere, the Electron window where its binary exists. */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Generous: a test that starts servers and a browser on a loaded 2-core CI machine can take 4× its usual time.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  use: {
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
});
