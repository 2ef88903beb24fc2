import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { TrainPage } from './support/train-page';

test.use({ viewport: { width: 1280, height: 800 } });

/** The left inset, in percent, of the compare view's output layer: where the divider stands. */
async function dividerAt(output: Locator): Promise<number> {
  const clip = await output.evaluate(
    (el) => (el as unknown as { style: { clipPath: string } }).style.clipPath,
  );
  const match = /inset\(0(?:px)? 0(?:px)? 0(?:px)? ([\d.]+)%\)/.exec(clip);
  if (!match?.[1]) throw new Error(`unexpected clip-path: ${clip}`);
  return Number(match[1]);
}

test('a trained run exports to ONNX, runs on an image with a before/after compare, and bad files are refused', async ({
  studio,
  page,
  home,
}) => {
  test.setTimeout(300_000);
  await studio.createProject('Models');
  await page.getByTestId('panel.models').click();
  await expect(page.getByTestId('panel.models.empty')).toContainText('Export to ONNX');

  await page.getByTestId('panel.data').click();
  await page.getByTestId('data.demo').click();
  await expect(page.getByTestId('data.dataset')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('panel.train').click();
  const train = new TrainPage(page);
  await train.fillTiny();
  await train.start.click();
  await expect(train.status).toHaveText('done', { timeout: 150_000 });

  // Export from the run page: the parity figure comes back with the model.
  await page.getByTestId('train.export.start').click();
  const exported = page.getByTestId('train.export.done');
  await expect(exported).toContainText('parity', { timeout: 120_000 });
  const figure = /parity\s+([\d.e+-]+)/.exec((await exported.textContent()) ?? '')?.[1];
  expect(Number(figure)).toBeLessThanOrEqual(1e-4);
  await page.getByTestId('train.export.open').click();

  // The Models panel lists it with parity, size, latency and provider.
  const items = page.getByTestId('models.item');
  await expect(items).toHaveCount(1);
  await expect(items.getByTestId('models.item.source')).toHaveText(/^exported from run \w{8} at step 12$/);
  await expect(items.getByTestId('models.item.shape')).toHaveText('64×64 · 3 → 3 ch');
  const parity = /^parity ([\d.e+-]+)$/.exec(
    (await items.getByTestId('models.item.parity').innerText()).trim(),
  );
  expect(Number(parity?.[1])).toBeLessThanOrEqual(1e-4);
  await expect(items.getByTestId('models.item.size')).toHaveText(/^[\d.]+ (B|kB|MB)$/);
  await expect(items.getByTestId('models.item.latency')).toContainText(/[\d.]+ ms per image/);
  await expect(items.getByTestId('models.item.provider')).toHaveText(/\w+/);

  // Run it on a demo image, chosen in the folder browser (it opens at the dataset's folder).
  await page.getByTestId('models.run.browse').click();
  await page.getByTestId('folders.entry').filter({ hasText: 'val' }).click();
  await expect(page.getByTestId('folders.summary')).toHaveText(/^\d+ images in this folder$/);
  await page.getByTestId('folders.file').first().click();
  await page.getByTestId('folders.choose').click();
  await expect(page.getByTestId('models.run.path')).toHaveValue(/[\\/]val[\\/][^\\/]+\.png$/);
  await page.getByTestId('models.run.start').click();

  const compare = page.getByTestId('models.compare');
  await expect(compare).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('models.compare.input')).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(page.getByTestId('models.compare.output').locator('img')).toHaveAttribute(
    'src',
    /^data:image\/png;base64,/,
  );
  await expect(page.getByTestId('models.result.note').first()).toContainText(/resized from \d+×\d+ to 64×64/);
  await expect(page.getByTestId('models.result.timing')).toHaveText(/^[\d.]+ m?s on \w+/);
  await expect(page.getByTestId('models.compare.hint')).toContainText('Hold Tab to see the original');

  // Drag the divider with the mouse, then nudge it with the keyboard.
  const output = page.getByTestId('models.compare.output');
  expect(await dividerAt(output)).toBe(50);
  const box = await compare.boundingBox();
  if (!box) throw new Error('the compare view has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  expect(Math.abs((await dividerAt(output)) - 20)).toBeLessThan(1.5);
  const dragged = await dividerAt(output);
  await compare.press('ArrowRight');
  expect(await dividerAt(output)).toBeCloseTo(dragged + 2, 5);

  // Holding Tab shows the original; letting go brings the comparison back, focus unmoved.
  await page.keyboard.down('Tab');
  await expect(compare).toHaveAttribute('data-showing', 'original');
  await expect(output).toBeHidden();
  await expect(page.getByTestId('models.compare.original')).toBeVisible();
  await page.keyboard.up('Tab');
  await expect(compare).toHaveAttribute('data-showing', 'compare');
  await expect(output).toBeVisible();
  await expect(compare).toBeFocused();

  // The demo images are A|B pairs: run on the A half only, which keeps its aspect ratio.
  await page.getByTestId('models.run.half').selectOption('left');
  await page.getByTestId('models.run.start').click();
  await expect(page.getByTestId('models.result.note').first()).toHaveText(
    'used the left half of the A|B pair',
  );
  await expect(page.getByTestId('models.result.note').nth(1)).toHaveText(/^resized from (\d+)×\1 to 64×64$/);

  mkdirSync('.scratch', { recursive: true });
  await page.screenshot({ path: join('.scratch', 'models-panel.png') });

  // A text file named .onnx, chosen in the browser: refused with the engine's message, naming the file.
  writeFileSync(join(home, 'bad.onnx'), 'this is not an ONNX model, only text');
  await page.getByTestId('models.import').click();
  await page.getByTestId('folders.path').fill(home);
  await page.getByTestId('folders.path').press('Enter');
  await expect(page.getByTestId('folders.summary')).toHaveText('1 ONNX model in this folder');
  await page.getByTestId('folders.file').click();
  await page.getByTestId('folders.choose').click();
  await expect(page.getByTestId('models.error')).toContainText('bad.onnx', { timeout: 30_000 });
  await expect(items).toHaveCount(1);

  // A truncated copy of the real export, typed as a path: refused too.
  const modelPath = (await page.getByTestId('models.detail.path').innerText()).trim();
  const bytes = readFileSync(modelPath);
  const truncated = join(home, 'truncated.onnx');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await page.getByTestId('models.import').click();
  await page.getByTestId('folders.path').fill(truncated);
  await page.getByTestId('folders.path').press('Enter');
  await expect(page.getByTestId('models.error')).toContainText('truncated.onnx', { timeout: 30_000 });
  await expect(items).toHaveCount(1);

  // Delete it, after the confirmation.
  await page.getByTestId('models.delete').click();
  await page.getByTestId('confirm.ok').click();
  await expect(page.getByTestId('panel.models.empty')).toBeVisible();
  await expect(items).toHaveCount(0);
});
