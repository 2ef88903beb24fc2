import type { Locator, Page } from '@playwright/test';

/** The Train panel as a person sees it: the new-run form and the selected run's page. */
export class TrainPage {
  readonly start: Locator;
  readonly stop: Locator;
  readonly resume: Locator;
  readonly status: Locator;
  readonly steps: Locator;
  readonly sample: Locator;
  readonly sampleStep: Locator;
  readonly sampleSlider: Locator;
  readonly lossChart: Locator;
  readonly valChart: Locator;

  constructor(readonly page: Page) {
    this.start = page.getByTestId('train.start');
    this.stop = page.getByTestId('train.stop');
    this.resume = page.getByTestId('train.resume');
    this.status = page.getByTestId('train.status');
    this.steps = page.getByTestId('train.progress.steps');
    this.sample = page.getByTestId('train.sample');
    this.sampleStep = page.getByTestId('train.sample.step');
    this.sampleSlider = page.getByTestId('train.sample.slider');
    this.lossChart = page.getByTestId('train.chart.loss');
    this.valChart = page.getByTestId('train.chart.val');
  }

  /** Chooses the inpainting model: its mask designer shows, its norm select does not. */
  async chooseInpaint(): Promise<void> {
    await this.page.getByTestId('train.form.model').selectOption('inpaint');
  }

  /** Settings for an inpainting run that trains in seconds: 64 px, `steps` steps, 8 filters. */
  async fillTinyInpaint(steps: number): Promise<void> {
    await this.page.getByTestId('train.form.size').selectOption('64');
    await this.page.getByTestId('train.form.length').fill(String(steps));
    await this.page.getByTestId('train.form.ngf').fill('8');
    await this.page.getByTestId('train.form.sample-every').fill('4');
    await this.page.getByTestId('train.form.checkpoint-every').fill('4');
  }

  /** Chooses the latent GAN (an unconditional generator with its encoder, for the Latent canvas). */
  async chooseLatent(): Promise<void> {
    await this.page.getByTestId('train.form.model').selectOption('latent');
  }

  /** Settings for a latent GAN run that trains in seconds: 64 px, `steps` steps, 8 filters. */
  async fillTinyLatent(steps: number): Promise<void> {
    await this.page.getByTestId('train.form.size').selectOption('64');
    await this.page.getByTestId('train.form.length').fill(String(steps));
    await this.page.getByTestId('train.form.ngf').fill('8');
    await this.page.getByTestId('train.form.sample-every').fill(String(Math.max(1, Math.floor(steps / 2))));
    await this.page.getByTestId('train.form.checkpoint-every').fill(String(steps));
  }

  /** Settings for a run that trains in seconds: 64 px, 12 steps, 8 filters. */
  async fillTiny(): Promise<void> {
    await this.page.getByTestId('train.form.size').selectOption('64');
    await this.page.getByTestId('train.form.length').fill('12');
    await this.page.getByTestId('train.form.ngf').fill('8');
    await this.page.getByTestId('train.form.sample-every').fill('4');
    await this.page.getByTestId('train.form.checkpoint-every').fill('6');
  }
}
