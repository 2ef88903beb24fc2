import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDemoDataset } from '../main/engine/datasets/demo-dataset';
import { expect, test } from './support/fixtures';

/** The side of the photos (the import needs at least 128 px). */
const SIDE = 128;

/** A folder of colour photos: the B halves (filled shapes) of demo pairs. */
async function writePhotos(home: string, folder: string, count: number): Promise<void> {
  const demo = join(home, 'demo');
  await writeDemoDataset(demo, { count, size: SIDE, seed: 5 });
  mkdirSync(folder, { recursive: true });
  const pairs = ['train', 'val', 'test'].flatMap((split) =>
    readdirSync(join(demo, split)).map((name) => join(demo, split, name)),
  );
  for (const [index, pair] of pairs.entries()) {
    await sharp(pair)
      .extract({ left: SIDE, top: 0, width: SIDE, height: SIDE })
      .toFile(join(folder, `photo-${index}.png`));
  }
}

test.use({ viewport: { width: 1280, height: 900 } });

test('a single folder of photos previews its derived pairs: gray → color, and edges → photo with the edge detector named', async ({
  studio,
  page,
  home,
}) => {
  const photos = join(home, 'photos');
  await writePhotos(home, photos, 10);
  await studio.createProject('Derive');
  await page.getByTestId('data.add').click();
  await page.getByTestId('folders.path').fill(photos);
  await page.getByTestId('folders.path').press('Enter');
  await expect(page.getByTestId('folders.path')).toHaveValue(photos);
  await page.getByTestId('folders.choose').click();
  await expect(page.getByTestId('data.detail.name')).toHaveText('photos', { timeout: 20_000 });
  await expect(page.getByTestId('data.preview.pair')).toHaveCount(6, { timeout: 20_000 });
  await expect(page.getByTestId('data.imported')).toContainText(
    '10 photos, a pair derived from each, 0 files left out',
  );
  await expect(page.getByText('Inputs made from photos')).toBeVisible();
  await expect(page.getByTestId('data.derive.how')).toContainText('in gray (BT.601 luma)');
  const pair = page.getByTestId('data.preview.pair').first();
  await expect(pair.getByRole('img', { name: 'Pair 1, input' })).toBeVisible();
  await expect(pair.getByRole('img', { name: 'Pair 1, photo' })).toBeVisible();
  const grayInput = await pair.getByRole('img', { name: 'Pair 1, input' }).getAttribute('src');
  await page.screenshot({ path: test.info().outputPath('derive-gray.png') });

  // Edges → photo: the preview shows the edge detector's sketches, named, and training follows the choice.
  await page.getByTestId('data.derive').selectOption('edges2photo');
  await expect(page.getByTestId('data.derive.how')).toContainText('edge lines found by XDoG');
  await expect(pair.getByRole('img', { name: 'Pair 1, input' })).not.toHaveAttribute('src', grayInput!);
  await expect(page.getByTestId('data.preview')).toHaveAttribute('aria-busy', 'false');
  await page.screenshot({ path: test.info().outputPath('derive-edges.png') });
  await page.getByTestId('panel.train').click();
  await expect(page.getByTestId('train.form.derive')).toHaveValue('edges2photo');

  // Choosing in the Train form changes the Data panel's preview too.
  await page.getByTestId('train.form.derive').selectOption('gray2color');
  await page.getByTestId('panel.data').click();
  await expect(page.getByTestId('data.derive')).toHaveValue('gray2color');
  await expect(page.getByTestId('data.derive.how')).toContainText('in gray');
});
