import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { StudioPage } from './studio-page';
import { serveStudio, type ServedStudio } from './web-host';

interface StudioFixtures {
  home: string;
  served: ServedStudio;
  studio: StudioPage;
  pageErrors: string[];
}

/**
 * Each test gets its own data directory, its own `ganstudio serve`, and a page opened on the
 * tokened URL. Page errors and console errors fail the test.
 */
export const test = base.extend<StudioFixtures>({
  // Playwright reads fixture dependencies from the pattern, so a fixture with none needs `{}`.
  // eslint-disable-next-line no-empty-pattern
  home: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'ganstudio-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  served: async ({ home }, use) => {
    const served = await serveStudio(home);
    await use(served);
    await served.stop();
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await use(errors);
    expect(errors, 'the page logged errors').toEqual([]);
  },
  studio: async ({ page, served, pageErrors }, use) => {
    void pageErrors;
    await page.goto(served.url);
    const studio = new StudioPage(page);
    await studio.ready();
    await use(studio);
  },
});

export { expect };
