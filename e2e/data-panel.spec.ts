import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

test('the folder browser stands in for the native dialog, and a failed import names its files', async ({
  studio,
  page,
  home,
}) => {
  const root = join(home, 'pictures');
  mkdirSync(join(root, 'facades', 'train'), { recursive: true });
  for (const name of ['1.jpg', '2.jpg', '3.png']) writeFileSync(join(root, 'facades', 'train', name), '');
  await studio.createProject('Browse');
  await page.getByTestId('data.add').click();
  await expect(page.getByTestId('folders.dialog')).toBeVisible();
  await page.getByTestId('folders.path').fill(root);
  await page.getByTestId('folders.path').press('Enter');
  await page.getByTestId('folders.entry').filter({ hasText: 'facades' }).click();
  await page.getByTestId('folders.entry').filter({ hasText: 'train' }).click();
  await expect(page.getByTestId('folders.summary')).toHaveText('3 images in this folder');
  await page.getByTestId('folders.choose').click();
  await expect(page.getByTestId('data.error')).toContainText(
    `No usable pair in ${join(root, 'facades', 'train')}: all 3 images had problems`,
  );
  await expect(page.getByTestId('data.error')).toContainText('1.jpg');
  await expect(page.getByTestId('panel.data.empty')).toBeVisible();
});

test('a folder that does not exist is named in the error', async ({ studio, page, home }) => {
  await studio.createProject('Missing');
  await page.getByTestId('data.add').click();
  await page.getByTestId('folders.path').fill(join(home, 'nowhere'));
  await page.getByTestId('folders.path').press('Enter');
  await expect(page.getByTestId('folders.error')).toHaveText(`Folder not found: ${join(home, 'nowhere')}`);
});

test('Train asks for a dataset first; Models and Canvas explain how to get a model', async ({
  studio,
  page,
}) => {
  await studio.createProject('Panels');
  await page.getByTestId('panel.train').click();
  await expect(page.getByTestId('panel.train.empty')).toContainText('Training needs a dataset');
  await page.getByTestId('train.to-data').click();
  await expect(page.getByTestId('panel.data.empty')).toBeVisible();
  await page.getByTestId('panel.models').click();
  await expect(page.getByTestId('panel.models.empty')).toContainText('Export to ONNX');
  await page.getByTestId('models.to-train').click();
  await expect(page.getByTestId('panel.train.empty')).toBeVisible();
  await page.getByTestId('panel.canvas').click();
  await expect(page.getByTestId('panel.canvas.empty')).toContainText('Export to ONNX');
});
