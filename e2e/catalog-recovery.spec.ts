import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { serveStudio } from './support/web-host';

test('a corrupt catalog is moved aside, the user is told where, and a fresh one works', async ({
  browser,
  home,
}) => {
  writeFileSync(join(home, 'catalog.db'), 'definitely not sqlite '.repeat(500));
  const served = await serveStudio(home);
  const page = await browser.newPage();
  await page.goto(served.url);
  const moved = readdirSync(home).find((name) => name.startsWith('catalog.corrupt-'));
  expect(moved).toBeDefined();
  await expect(page.getByTestId('notice')).toContainText(`moved to ${join(home, moved ?? '')}`);
  await page.getByTestId('projects.new-name').fill('Fresh start');
  await page.getByTestId('projects.create').click();
  await expect(page.getByTestId('project.title')).toHaveText('Fresh start');
  await page.close();
  await served.stop();
});
