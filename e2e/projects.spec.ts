import { expect, test } from './support/fixtures';
import { serveStudio } from './support/web-host';

test('creates, renames and deletes a project through the UI, and the list survives a reload', async ({
  studio,
  page,
}) => {
  await expect(page.getByTestId('projects.empty')).toBeVisible();
  await studio.createProject('Facades');
  await studio.createProject('Maps');
  expect(await studio.projectNames()).toEqual(['Maps', 'Facades']);

  await studio.renameCurrent('Aerial maps');
  await expect(studio.title).toHaveText('Aerial maps');
  await expect(studio.items.filter({ hasText: 'Aerial maps' })).toHaveCount(1);

  await page.reload();
  await studio.ready();
  await expect(studio.title).toHaveText('Aerial maps');
  expect((await studio.projectNames()).sort()).toEqual(['Aerial maps', 'Facades']);

  await studio.deleteCurrent();
  await expect(studio.items).toHaveCount(1);
  await expect(page.getByTestId('home.empty')).toBeVisible();
  await page.reload();
  await studio.ready();
  expect(await studio.projectNames()).toEqual(['Facades']);
  await page.screenshot({ path: test.info().outputPath('shell.png') });
});

test('projects persist in the catalog across a restart of the server', async ({ browser, home }) => {
  const first = await serveStudio(home);
  const page = await browser.newPage();
  await page.goto(first.url);
  await page.getByTestId('projects.new-name').fill('Survivor');
  await page.getByTestId('projects.create').click();
  await expect(page.getByTestId('project.title')).toHaveText('Survivor');
  await first.stop();

  const second = await serveStudio(home);
  await page.goto(second.url);
  await expect(page.getByTestId('projects.item')).toHaveText(['Survivor']);
  await second.stop();
  await page.close();
});

test('a duplicate or invalid name is refused with a clear message and nothing changes', async ({
  studio,
  page,
}) => {
  await studio.createProject('Edges2shoes');
  await studio.newName.fill('edges2SHOES');
  await studio.createButton.click();
  await expect(studio.error).toContainText('A project named "edges2SHOES" already exists.');
  await studio.newName.fill('a/b');
  await studio.createButton.click();
  await expect(studio.error).toContainText('name: must not contain / or \\');
  await expect(studio.items).toHaveCount(1);
  await page.getByTestId('error').getByRole('button', { name: 'Dismiss' }).click();
  await expect(studio.error).toHaveCount(0);
});

test('keyboard: Ctrl+N focuses the name, F2 renames, Escape cancels, Delete asks first', async ({
  studio,
  page,
}) => {
  await page.keyboard.press('Control+n');
  await expect(studio.newName).toBeFocused();
  await page.keyboard.type('Colorize');
  await page.keyboard.press('Enter');
  await expect(studio.title).toHaveText('Colorize');

  // Leave the name field: the shortcuts act when no field has focus.
  await studio.newName.blur();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('project.rename-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(studio.title).toHaveText('Colorize');

  await page.keyboard.press('Control+2');
  await expect(page.getByTestId('panel.train.empty')).toBeVisible();

  await page.keyboard.press('Delete');
  await expect(page.getByTestId('confirm.dialog')).toBeVisible();
  await page.getByTestId('confirm.cancel').click();
  await expect(studio.items).toHaveCount(1);
  await page.keyboard.press('Delete');
  await page.getByTestId('confirm.ok').click();
  await expect(studio.items).toHaveCount(0);
});

test('changes made elsewhere (another window) show up live', async ({ studio, browser, served }) => {
  const other = await browser.newPage();
  await other.goto(served.url);
  await other.getByTestId('projects.new-name').fill('From the other window');
  await other.getByTestId('projects.create').click();
  await expect(studio.items).toHaveText(['From the other window']);
  await other.close();
});

test('the footer shows the training backend and inference providers this machine has', async ({
  studio,
  page,
}) => {
  await expect(page.getByTestId('footer.training')).toContainText(/Training: (node|wasm|cpu)/);
  await expect(page.getByTestId('footer.inference')).toContainText(/Inference: .*cpu/);
  void studio;
});
