import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from './support/fixtures';
import { TrainPage } from './support/train-page';

/** Writes a `width`×`height` PNG whose pixels depend on `seed`, so no two files are identical. */
async function writeNoisePng(path: string, width: number, height: number, seed: number): Promise<void> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let i = 0; i < pixels.length; i += 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    pixels[i] = state & 255;
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
}

test.use({ viewport: { width: 1280, height: 800 } });

test('“Use the demo dataset” imports it, shows its counts and a preview of augmented pairs', async ({
  studio,
  page,
}) => {
  await studio.createProject('Demo');
  await expect(page.getByTestId('panel.data.empty')).toBeVisible();
  await page.getByTestId('data.demo').click();
  await expect(page.getByTestId('data.dataset')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('data.detail.name')).toHaveText('Demo: outlines → filled shapes');
  await expect(page.getByTestId('data.count.train').locator('strong')).toHaveText('160');
  await expect(page.getByTestId('data.count.val').locator('strong')).toHaveText('20');
  await expect(page.getByTestId('data.count.test').locator('strong')).toHaveText('20');
  await expect(page.getByTestId('data.problems.none')).toBeVisible();

  const pairs = page.getByTestId('data.preview.pair');
  await expect(pairs).toHaveCount(6, { timeout: 20_000 });
  await expect(pairs.first().locator('img')).toHaveCount(2);
  const first = await pairs.first().locator('img').first().getAttribute('src');
  expect(first).toMatch(/^data:image\/png;base64,/);
  await expect
    .poll(() =>
      pairs
        .first()
        .locator('img')
        .first()
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    )
    .toBe(128);

  await page.getByTestId('data.reshuffle').click();
  await expect
    .poll(() => pairs.first().locator('img').first().getAttribute('src'), { timeout: 20_000 })
    .not.toBe(first);

  await page.getByTestId('panel.train').click();
  await page.getByTestId('panel.data').click();
  await expect(pairs).toHaveCount(6);
  await page.screenshot({ path: test.info().outputPath('data-panel.png') });
});

test('importing a folder lists exactly which files were left out and why', async ({ studio, page, home }) => {
  const root = join(home, 'facades');
  mkdirSync(join(root, 'train'), { recursive: true });
  for (let i = 0; i < 4; i += 1) await writeNoisePng(join(root, 'train', `pair-${i}.png`), 256, 128, i + 1);
  await writeNoisePng(join(root, 'train', 'tiny.png'), 64, 32, 99);
  writeFileSync(join(root, 'train', 'broken.png'), 'this is not a PNG, only text');
  writeFileSync(join(root, 'notes.txt'), 'not an image');

  await studio.createProject('Import');
  await page.getByTestId('data.mode').selectOption('aligned');
  await page.getByTestId('data.add').click();
  await page.getByTestId('folders.path').fill(root);
  await page.getByTestId('folders.path').press('Enter');
  await expect(page.getByTestId('folders.summary')).toHaveText('0 images in this folder');
  await page.getByTestId('folders.choose').click();

  await expect(page.getByTestId('data.detail.name')).toHaveText('facades', { timeout: 20_000 });
  await expect(page.getByTestId('data.imported')).toHaveText(
    'Imported “facades”: 4 pairs, 2 files left out.',
  );
  await expect(page.getByTestId('data.count.train').locator('strong')).toHaveText('3');
  await expect(page.getByTestId('data.count.val').locator('strong')).toHaveText('1');
  await expect(page.getByTestId('data.count.problems').locator('strong')).toHaveText('2');
  const problems = page.getByTestId('data.problem');
  await expect(problems).toHaveCount(2);
  await expect(problems.filter({ hasText: 'train/broken.png' })).toHaveCount(1);
  await expect(problems.filter({ hasText: 'train/tiny.png' })).toContainText('too-small');
  await expect(problems.filter({ hasText: 'train/tiny.png' })).toContainText('64×32');
  await expect(page.getByTestId('data.preview.pair')).toHaveCount(6, { timeout: 20_000 });
});

test('trains a tiny model from the UI, live, then stops and resumes another run', async ({
  studio,
  page,
}) => {
  test.setTimeout(240_000);
  await studio.createProject('Train');
  await page.getByTestId('data.demo').click();
  await expect(page.getByTestId('data.dataset')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('panel.train').click();

  const train = new TrainPage(page);
  await train.fillTiny();
  await train.start.click();

  await expect(train.status).toHaveText('running', { timeout: 60_000 });
  await expect(train.steps).toHaveText('step 12/12', { timeout: 90_000 });
  await expect(train.status).toHaveText('done', { timeout: 30_000 });
  await expect(train.sample).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(train.sampleStep).toHaveText('step 12');
  await expect(train.lossChart.locator('path.line[data-series="loss_G_l1"]')).toHaveAttribute(
    'd',
    /^M[\d.]+,[\d.]+/,
  );
  await expect(train.valChart.locator('path.line[data-series="val_l1"]')).toHaveAttribute('d', /^M/);
  await expect(page.getByTestId('train.message.info')).toContainText('Training on');

  await train.sampleSlider.fill('0');
  await expect(train.sampleStep).toHaveText('step 0');
  await page.getByTestId('panel.data').click();
  await page.getByTestId('panel.train').click();
  await expect(train.sampleStep).toHaveText('step 0');

  await page.getByTestId('train.new').click();
  await expect(page.getByTestId('train.form.length')).toHaveValue('12');
  await train.start.click();
  await expect(page.getByTestId('train.run')).toHaveCount(2);
  await train.stop.click();
  await expect(train.status).toHaveText('stopped', { timeout: 60_000 });
  await expect(page.getByTestId('train.run').first().getByTestId('train.run.status')).toHaveText('stopped');
  await train.resume.click();
  await expect(train.status).toHaveText('done', { timeout: 90_000 });
  await expect(train.steps).toHaveText('step 12/12');
  await expect(page.getByTestId('train.message.info').last()).toContainText('Resumed from step');
  await expect(page.getByTestId('train.run').getByTestId('train.run.status')).toHaveText(['done', 'done']);
});
