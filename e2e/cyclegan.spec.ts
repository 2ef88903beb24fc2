import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { writeDemoDataset } from '../main/engine/datasets/demo-dataset';
import { expect, test } from './support/fixtures';
import { TrainPage } from './support/train-page';

/** The side of the demo images (the import needs at least 128 px) and the size the run trains at. */
const DEMO = 128;
const SIZE = 32;

/** The demo's aligned A|B images, `DEMO` px a side, as sorted paths. */
async function demoPairs(dir: string, count: number): Promise<string[]> {
  await writeDemoDataset(dir, { count, size: DEMO, seed: 3 });
  return ['train', 'val', 'test'].flatMap((split) =>
    readdirSync(join(dir, split))
      .sort()
      .map((name) => join(dir, split, name)),
  );
}

/** Writes the left (A) or right (B) half of each pair into `folder`. */
async function writeHalves(pairs: string[], half: 'left' | 'right', folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (const [index, pair] of pairs.entries()) {
    await sharp(pair)
      .extract({ left: half === 'left' ? 0 : DEMO, top: 0, width: DEMO, height: DEMO })
      .toFile(join(folder, `${half}-${index}.png`));
  }
}

/** Types `path` into the open folder browser and chooses that folder. */
async function chooseFolder(page: Page, path: string): Promise<void> {
  await page.getByTestId('folders.path').fill(path);
  await page.getByTestId('folders.path').press('Enter');
  await expect(page.getByTestId('folders.path')).toHaveValue(path);
  await page.getByTestId('folders.choose').click();
}

/** The figure in a `parity 3.1e-7` text. */
function parityOf(text: string | null): number {
  return Number(/parity\s+([\d.e+-]+)/.exec(text ?? '')?.[1]);
}

test.use({ viewport: { width: 1280, height: 800 } });

test('an unaligned dataset imports (trainA/ trainB/ and two folders), trains a tiny CycleGAN and exports both generators', async ({
  studio,
  page,
  home,
}) => {
  test.setTimeout(120_000);
  // A and B are halves of different demo pairs: outlines on one side, filled shapes on the other, never paired.
  const pairs = await demoPairs(join(home, 'demo'), 20);
  const root = join(home, 'shapes');
  await writeHalves(pairs.slice(0, 10), 'left', join(root, 'trainA'));
  await writeHalves(pairs.slice(10, 20), 'right', join(root, 'trainB'));
  await writeHalves(pairs.slice(10, 13), 'left', join(root, 'testA'));
  await writeHalves(pairs.slice(0, 3), 'right', join(root, 'testB'));
  await writeHalves(pairs.slice(0, 6), 'left', join(home, 'two', 'outlines'));
  await writeHalves(pairs.slice(6, 12), 'right', join(home, 'two', 'filled'));

  await studio.createProject('CycleGAN');

  // Two folders of their own: the browser asks for A, then for B.
  await page.getByTestId('data.mode').selectOption('two-folders');
  await expect(page.getByTestId('data.mode.hint')).toContainText('Choose the A folder, then the B folder');
  await page.getByTestId('data.add').click();
  await expect(page.getByTestId('folders.title')).toContainText('A folder');
  await chooseFolder(page, join(home, 'two', 'outlines'));
  await expect(page.getByTestId('folders.title')).toContainText('B folder');
  await chooseFolder(page, join(home, 'two', 'filled'));
  await expect(page.getByTestId('data.detail.name')).toHaveText('outlines ↔ filled', { timeout: 20_000 });
  await expect(page.getByTestId('data.side.trainA').locator('strong')).toHaveText('6');
  await expect(page.getByTestId('data.side.trainB').locator('strong')).toHaveText('6');
  await expect(page.getByTestId('data.imported')).toContainText('6 A and 6 B training images');

  // A folder with trainA/ trainB/ testA/ testB/ is detected as unaligned.
  await page.getByTestId('data.mode').selectOption('auto');
  await page.getByTestId('data.add').click();
  await chooseFolder(page, root);
  await expect(page.getByTestId('data.detail.name')).toHaveText('shapes', { timeout: 20_000 });
  await expect(page.getByTestId('data.side.trainA').locator('strong')).toHaveText('10');
  await expect(page.getByTestId('data.side.trainB').locator('strong')).toHaveText('10');
  await expect(page.getByTestId('data.side.testA').locator('strong')).toHaveText('3');
  await expect(page.getByTestId('data.side.testB').locator('strong')).toHaveText('3');
  await expect(page.getByTestId('data.preview.samples')).toHaveCount(6, { timeout: 20_000 });

  // The form follows the dataset: CycleGAN, with pix2pix not offered and the reason given.
  await page.getByTestId('panel.train').click();
  const model = page.getByTestId('train.form.model');
  await expect(model).toHaveValue('cyclegan');
  await expect(model.locator('option[value="pix2pix"]')).toHaveJSProperty('disabled', true);
  await expect(page.getByTestId('train.form.model.note')).toContainText('pix2pix is not offered');
  await expect(page.getByTestId('train.form.kind')).toHaveText('CycleGAN');
  await expect(page.getByTestId('train.form.norm')).toHaveValue('instance');
  await expect(page.getByTestId('train.form.gan')).toHaveValue('lsgan');
  await expect(page.getByTestId('train.form.gan').locator('option[value="wgangp"]')).toHaveCount(0);
  await page.getByTestId('train.form.size').selectOption(String(SIZE));
  await expect(page.getByTestId('train.form.size.hint')).toHaveText('ResNet generator, 6 residual blocks');
  await page.getByTestId('train.form.length').fill('8');
  await page.getByTestId('train.form.ngf').fill('8');
  await page.getByTestId('train.form.sample-every').fill('4');
  await page.getByTestId('train.form.checkpoint-every').fill('4');
  mkdirSync('.scratch', { recursive: true });
  await page.screenshot({ path: join('.scratch', 'cyclegan-form.png'), fullPage: true });

  const train = new TrainPage(page);
  await train.start.click();
  await expect(page.getByTestId('train.kind')).toHaveText('CycleGAN');
  await expect(train.status).toHaveText('done', { timeout: 60_000 });
  await expect(train.steps).toHaveText('step 8/8');

  // The strip has six columns of SIZE px per row, named in the caption.
  await expect(train.sample).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect
    .poll(() => train.sample.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBe(6 * SIZE);
  await expect(page.getByTestId('train.sample.column')).toHaveText([
    'A',
    'A→B',
    'A→B→A',
    'B',
    'B→A',
    'B→A→B',
  ]);
  for (const name of ['loss_D_A', 'loss_G_B', 'loss_cycle_A', 'loss_idt_B']) {
    await expect(train.lossChart.locator(`path.line[data-series="${name}"]`)).toHaveAttribute('d', /^M/);
  }
  const cycle = page.getByTestId('train.chart.val.cycle');
  for (const name of ['val_cycle_A', 'val_cycle_B']) {
    await expect(cycle.locator(`path.line[data-series="${name}"]`)).toHaveAttribute('d', /^M/);
  }
  await expect(page.getByTestId('train.chart.val.psnr')).toHaveCount(0);

  // Export each generator; both pass the parity check.
  const status = (direction: string) =>
    page.locator(`[data-testid="train.export.status"][data-direction="${direction}"]`);
  for (const direction of ['AtoB', 'BtoA']) {
    await page.getByTestId('train.export.direction').selectOption(direction);
    await page.getByTestId('train.export.start').click();
    const done = status(direction).getByTestId('train.export.done');
    await expect(done).toContainText('parity', { timeout: 60_000 });
    expect(parityOf(await done.textContent())).toBeLessThanOrEqual(1e-4);
  }
  await page.screenshot({ path: join('.scratch', 'cyclegan-run.png'), fullPage: true });

  // The Models panel lists both, each with its direction and parity.
  await status('BtoA').getByTestId('train.export.open').click();
  const items = page.getByTestId('models.item');
  await expect(items).toHaveCount(2);
  await expect(items.getByTestId('models.item.kind')).toHaveText(['cyclegan', 'cyclegan']);
  await expect(items.getByTestId('models.item.direction')).toHaveText(['B→A', 'A→B']);
  for (const parity of await items.getByTestId('models.item.parity').allInnerTexts()) {
    expect(parityOf(parity)).toBeLessThanOrEqual(1e-4);
  }
  await expect(items.getByTestId('models.item.shape')).toHaveText([
    `${SIZE}×${SIZE} · 3 → 3 ch`,
    `${SIZE}×${SIZE} · 3 → 3 ch`,
  ]);
  await expect(page.getByTestId('models.detail.direction')).toHaveText('B→A');
  await page.screenshot({ path: join('.scratch', 'cyclegan-models.png') });
});
