import { decodeDataUrl } from './support/canvas-page';
import { expect, test } from './support/fixtures';
import { LatentPage } from './support/latent-page';
import { TrainPage } from './support/train-page';

test.use({ viewport: { width: 1280, height: 900 } });

test('a latent GAN trains, exports with its encoder, and is edited in Latent mode: sliders, random codes, constraint strokes, projection and critic ranking', async ({
  studio,
  page,
}) => {
  test.setTimeout(480_000);
  await studio.createProject('Latent');
  await page.getByTestId('panel.data').click();
  await page.getByTestId('data.demo').click();
  await expect(page.getByTestId('data.dataset')).toHaveCount(1, { timeout: 30_000 });

  await page.getByTestId('panel.train').click();
  const train = new TrainPage(page);
  await train.chooseLatent();
  await expect(page.getByTestId('train.form.kind')).toHaveText('latent');
  await train.fillTinyLatent(10);
  await train.start.click();
  await expect(train.status).toHaveText('done', { timeout: 240_000 });
  await page.getByTestId('train.export.start').click();
  await expect(page.getByTestId('train.export.done')).toContainText('parity', { timeout: 120_000 });

  // The canvas opens the export in Latent mode, on a random code with its principal directions.
  await page.getByTestId('panel.canvas').click();
  const latent = new LatentPage(page);
  await expect(page.getByTestId('canvas.panel')).toHaveAttribute('data-mode', 'latent');
  await expect(page.getByTestId('canvas.misfit')).toHaveCount(0);
  await expect(latent.info).toContainText('64×64', { timeout: 120_000 });
  await expect(page.getByTestId('latent.direction').first()).toBeVisible();
  await expect(page.getByTestId('latent.constraints.locked')).toHaveCount(0);
  await expect(page.getByTestId('latent.random.sample')).toHaveCount(8);
  const first = await latent.imageOtherThan(null);
  const decoded = await decodeDataUrl(first);
  expect([decoded.width, decoded.height]).toEqual([64, 64]);
  await expect(latent.undo).toBeDisabled();

  // A slider moves the code: the image changes; undo brings the first image back, redo the moved one.
  await latent.slide(0, 'End');
  await expect(page.getByTestId('latent.slider.value').first()).toHaveText('+3σ');
  const slid = await latent.imageOtherThan(first);
  await expect(latent.undo).toBeEnabled();
  await page.keyboard.press('Control+z');
  await expect.poll(() => latent.image()).toBe(first);
  await expect(page.getByTestId('latent.slider.value').first()).toHaveText('0σ');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => latent.image()).toBe(slid);
  await page.screenshot({ path: test.info().outputPath('latent-slider.png') });

  // More draws eight more random codes; clicking one continues from it.
  await page.getByTestId('latent.random.more').click();
  await expect(page.getByTestId('latent.random.sample')).toHaveCount(16, { timeout: 60_000 });
  const picked = (await page.getByTestId('latent.random.sample').nth(9).locator('img').getAttribute('src'))!;
  await page.getByTestId('latent.random.sample.pick').nth(9).click();
  await expect.poll(() => latent.image()).toBe(picked);

  // A colour stroke over the image is fitted when it ends: candidates come back best first.
  await page.getByTestId('latent.tool.color').click();
  await page.getByTestId('latent.color').fill('#e02020');
  await latent.stroke([
    [12, 20],
    [32, 22],
    [52, 20],
  ]);
  await expect.poll(() => latent.updateCount(), { timeout: 120_000 }).toBe(1);
  await expect(latent.errors()).toHaveCount(0);
  const count = await latent.candidates.count();
  expect(count).toBeGreaterThan(0);
  const losses = (await latent.candidates.locator('figcaption').allInnerTexts()).map((text) =>
    Number(/loss\s+([-\d.e+]+)/.exec(text)?.[1]),
  );
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(losses).toEqual([...losses].sort((a, b) => a - b));
  const updateMs = Number(await latent.constraintStatus.getAttribute('data-update-ms'));
  expect(updateMs).toBeGreaterThan(0);
  console.log(`constraint update at 64 px: ${updateMs} ms (the engine's figure)`);
  await page.screenshot({ path: test.info().outputPath('latent-candidates.png') });

  // Clicking the best candidate continues from it; undo goes back to the picked sample.
  const best = (await latent.candidates.first().locator('img').getAttribute('src'))!;
  await latent.candidates.first().getByTestId('latent.candidate.pick').click();
  await expect.poll(() => latent.image()).toBe(best);
  await page.keyboard.press('Control+z');
  await expect(latent.redo).toBeEnabled();
  await expect.poll(() => latent.image()).toBe(picked);
  await expect(latent.errors()).toHaveCount(0);

  // A stroke that runs off the image is clipped, and the editor says so; Update fits again.
  await latent.stroke([
    [40, 50],
    [90, 50],
  ]);
  await expect(page.getByTestId('latent.clip-note')).toContainText('outside the image');
  await expect.poll(() => latent.updateCount(), { timeout: 120_000 }).toBe(2);
  await page.getByTestId('latent.update').click();
  await expect.poll(() => latent.updateCount(), { timeout: 120_000 }).toBe(3);
  await expect(latent.constraintStatus).toContainText('p95');

  // Projection of a real image: the target, the encoder's guess and the refined code with their errors.
  await page.getByTestId('latent.section.project').click();
  await page.getByTestId('latent.project.open').click();
  await page.getByTestId('folders.entry').filter({ hasText: 'val' }).click();
  await page.getByTestId('folders.file').first().click();
  await page.getByTestId('folders.choose').click();
  await expect(page.getByTestId('latent.project.result')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('latent.project.refined-error')).toHaveText(/^error \d+\.\d%$/);
  await expect(page.getByTestId('latent.project.notes')).toContainText('centre');
  const refined = (await page
    .getByTestId('latent.project.result')
    .locator('img')
    .nth(2)
    .getAttribute('src'))!;
  await page.getByTestId('latent.project.continue').click();
  await expect.poll(() => latent.image()).toBe(refined);

  // Critic ranking of the validation folder: least typical first, scores shown.
  await page.getByTestId('latent.section.rank').click();
  await page.getByTestId('latent.rank.open').click();
  await latent.chooseDatasetFolder('val');
  await expect(page.getByTestId('latent.rank.summary')).toContainText('images ranked', { timeout: 120_000 });
  await expect(page.getByTestId('latent.rank.error')).toHaveCount(0);
  const scores = (await page.getByTestId('latent.rank.score').allInnerTexts()).map(Number);
  expect(scores.length).toBeGreaterThan(1);
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
  await expect(page.getByTestId('latent.rank.item').first().locator('img')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('latent-rank.png') });

  // Saving the edit since the start as a direction gives it a slider; deleting it takes the slider away.
  const directions = await page.getByTestId('latent.direction').count();
  await latent.slide(1, 'End');
  await page.getByTestId('latent.save-direction.name').fill('brighter');
  await page.getByTestId('latent.save-direction.save').click();
  await expect(page.getByTestId('latent.direction')).toHaveCount(directions + 1);
  await expect(page.getByTestId('latent.direction').last()).toContainText('brighter');
  await page.getByTestId('latent.direction.delete').click();
  await expect(page.getByTestId('latent.direction')).toHaveCount(directions);
  await expect(latent.errors()).toHaveCount(0);
});
