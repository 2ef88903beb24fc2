import { decodeDataUrl, type Pixels } from './support/canvas-page';
import { expect, test } from './support/fixtures';
import { TrainPage } from './support/train-page';
import { TranslatePage } from './support/translate-page';

test.use({ viewport: { width: 1280, height: 900 } });

/** The largest per-channel difference between two images of one size. */
function maxDifference(a: Pixels, b: Pixels): number {
  let most = 0;
  for (let i = 0; i < a.data.length; i += 1) most = Math.max(most, Math.abs(a.data[i]! - b.data[i]!));
  return most;
}

test('a pix2pix trained with colour hints takes hints from the canvas: placed, undone, redone, cleared', async ({
  studio,
  page,
}) => {
  test.setTimeout(420_000);
  await studio.createProject('Hints');
  await page.getByTestId('panel.data').click();
  await page.getByTestId('data.demo').click();
  await expect(page.getByTestId('data.dataset')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('panel.train').click();
  const train = new TrainPage(page);
  await train.fillTiny();
  await page.getByTestId('train.form.hints').check();
  await train.start.click();
  await expect(train.status).toHaveText('done', { timeout: 150_000 });
  await page.getByTestId('train.export.start').click();
  await expect(page.getByTestId('train.export.done')).toContainText('parity', { timeout: 120_000 });

  await page.getByTestId('panel.canvas').click();
  const translate = new TranslatePage(page);
  await expect(page.getByTestId('canvas.panel')).toHaveAttribute('data-mode', 'translate');
  await expect(page.getByTestId('translate.page')).toHaveText('drawing · 64×64');
  await expect(page.getByTestId('translate.tool.hint')).toBeVisible();
  await translate.nextResult(0);
  await translate.stroke([
    [10, 12],
    [30, 30],
    [52, 20],
  ]);
  const before = await translate.strokeResult(1);
  await expect(translate.error).toHaveCount(0);

  // I picks the Hint tool; a click places a hint of the current colour, drawn as a marker over its
  // 2×2 square (1/32 of 64 px), centred on the square.
  await translate.stage.focus();
  await page.keyboard.press('i');
  await expect(page.getByTestId('translate.tool.hint')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('translate.color').fill('#e02020');
  const ink = (await translate.images()).ink;
  await translate.stroke([[40, 44]]);
  await expect(page.getByTestId('translate.hints.count')).toHaveText('1 hints');
  const hinted = await translate.strokeResult(2);
  await expect(translate.error).toHaveCount(0);
  expect((await translate.images()).ink).toBe(ink);
  const marker = await page.evaluate(() => {
    const stage = (
      globalThis as unknown as {
        Konva: { stages: { findOne(s: string): { x(): number; y(): number; fill(): string } | undefined }[] };
      }
    ).Konva.stages[0]!;
    const found = stage.findOne('.hint-marker');
    return found ? { x: found.x(), y: found.y(), fill: found.fill() } : null;
  });
  expect(marker).toEqual({ x: 41, y: 45, fill: '#e02020' });
  const changed = maxDifference(await decodeDataUrl(hinted), await decodeDataUrl(before));
  console.log(`result change from one hint: ${changed}`);
  expect(changed).toBeGreaterThan(2);
  await page.screenshot({ path: test.info().outputPath('translate-hint.png') });

  // Undo takes the hint away with the same history as strokes: the result comes back.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('translate.hints.count')).toHaveText('0 hints');
  const undone = await translate.resultOtherThan(hinted);
  expect(maxDifference(await decodeDataUrl(undone), await decodeDataUrl(before))).toBeLessThanOrEqual(2);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('translate.hints.count')).toHaveText('1 hints');
  const redone = await translate.resultOtherThan(undone);
  expect(maxDifference(await decodeDataUrl(redone), await decodeDataUrl(hinted))).toBeLessThanOrEqual(2);

  // Clear hints takes them all away.
  await page.getByTestId('translate.hints.clear').click();
  await expect(page.getByTestId('translate.hints.count')).toHaveText('0 hints');
  const cleared = await translate.resultOtherThan(redone);
  expect(maxDifference(await decodeDataUrl(cleared), await decodeDataUrl(before))).toBeLessThanOrEqual(2);
  await expect(translate.error).toHaveCount(0);
});
