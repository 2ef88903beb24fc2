import { expect, test } from './support/fixtures';
import { TrainPage } from './support/train-page';

test.use({ viewport: { width: 1280, height: 900 } });

test('a latent GAN trains on the demo images, shows its square crop, and exports as one model for the latent editor', async ({
  studio,
  page,
}) => {
  test.setTimeout(300_000);
  await studio.createProject('Latent');
  await page.getByTestId('panel.data').click();
  await page.getByTestId('data.demo').click();
  await expect(page.getByTestId('data.dataset')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('panel.train').click();

  // The latent model: its sizes, WGAN-GP only, batches of 16, code length and spectral norm.
  const train = new TrainPage(page);
  await page.getByTestId('train.form.model').selectOption('latent');
  await expect(page.getByTestId('train.form.kind')).toHaveText('latent');
  await expect(page.getByTestId('train.form.size').locator('option')).toHaveText([
    '32 px',
    '64 px',
    '128 px',
  ]);
  await expect(page.getByTestId('train.form.gan').locator('option')).toHaveText(['WGAN-GP']);
  await expect(page.getByTestId('train.form.batch')).toHaveValue('16');
  await expect(page.getByTestId('train.form.nz')).toHaveValue('100');
  await expect(page.getByTestId('train.form.spectral-norm')).not.toBeChecked();

  // The demo's B halves are square: nothing is cut, and the preview shows the images it trains on.
  await expect(page.getByTestId('train.form.latent-crop.counts')).toContainText('200 images.');
  await expect(page.getByTestId('train.form.latent-crop.counts')).toContainText('All are square');
  await expect(page.getByTestId('train.form.latent-crop.pair')).toHaveCount(4, { timeout: 30_000 });

  await page.getByTestId('train.form.size').selectOption('32');
  await page.getByTestId('train.form.length').fill('4');
  await page.getByTestId('train.form.batch').fill('4');
  await page.getByTestId('train.form.ngf').fill('4');
  await page.getByTestId('train.form.nz').fill('8');
  await page.getByTestId('train.form.sample-every').fill('2');
  await page.getByTestId('train.form.checkpoint-every').fill('4');
  await train.start.click();
  await expect(train.status).toHaveText('done', { timeout: 240_000 });
  await expect(page.getByTestId('train.kind')).toHaveText('latent');
  await expect(page.getByTestId('train.sample.column')).toHaveText([
    'real',
    'G(E(real))',
    'sample 1',
    'sample 2',
  ]);

  await page.getByTestId('train.export.start').click();
  await expect(page.getByTestId('train.export.done')).toContainText('parity', { timeout: 120_000 });

  await page.getByTestId('panel.models').click();
  const item = page.getByTestId('models.item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('models.item.kind')).toHaveText('latent');
  await expect(item.getByTestId('models.item.shape')).toHaveText('code of 8 → 32×32');
  await item.click();
  await expect(page.getByTestId('models.detail.latent')).toContainText('opened in the latent editor');
  await page.screenshot({ path: test.info().outputPath('models-latent.png'), fullPage: true });
});
