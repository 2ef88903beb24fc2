import { expect, type Locator, type Page } from '@playwright/test';
import { CanvasPage } from './canvas-page';

/** The parts of Konva's scene graph the latent tests read (the page has Konva as a global). */
interface KonvaGlobal {
  stages: { findOne(selector: string): { image(): { src?: string } | undefined } | undefined }[];
}

/** The Canvas panel in Latent mode, plus readings of the Konva stage that shows the current image. */
export class LatentPage {
  readonly canvas: CanvasPage;
  readonly stage: Locator;
  readonly info: Locator;
  readonly constraintStatus: Locator;
  readonly candidates: Locator;
  readonly undo: Locator;
  readonly redo: Locator;

  constructor(readonly page: Page) {
    this.canvas = new CanvasPage(page);
    this.stage = page.getByTestId('canvas.stage');
    this.info = page.getByTestId('latent.info');
    this.constraintStatus = page.getByTestId('latent.constraints.status');
    this.candidates = page.getByTestId('latent.candidate');
    this.undo = page.getByTestId('latent.undo');
    this.redo = page.getByTestId('latent.redo');
  }

  /** The errors shown anywhere in the latent editor. */
  errors(): Locator {
    return this.page.locator('[data-testid="latent.panel"] [role="alert"]');
  }

  /** The data URL of the image on the stage, or null before the first. */
  async image(): Promise<string | null> {
    return this.page.evaluate(
      () =>
        (globalThis as unknown as { Konva: KonvaGlobal }).Konva.stages[0]?.findOne('.latent-image')?.image()
          ?.src ?? null,
    );
  }

  /** Waits until the stage shows an image other than `previous` (any image when null), and returns it. */
  async imageOtherThan(previous: string | null): Promise<string> {
    let url: string | null = null;
    await expect
      .poll(
        async () => {
          url = await this.image();
          return url !== null && url !== previous;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    return url!;
  }

  /** Moves the slider of the `index`th direction by keys (Home / End / arrows), as a person does. */
  async slide(index: number, key: 'End' | 'Home' | 'ArrowRight' | 'ArrowLeft'): Promise<void> {
    const slider = this.page.getByTestId('latent.direction').nth(index).locator('input[type="range"]');
    await slider.focus();
    await this.page.keyboard.press(key);
  }

  /** Drags the mouse through image points over the current image, as a person paints a stroke. */
  async stroke(points: [number, number][]): Promise<void> {
    await this.canvas.stroke(points);
  }

  /** How many constraint updates have come back so far. */
  async updateCount(): Promise<number> {
    return Number(await this.constraintStatus.getAttribute('data-update-count'));
  }

  /** Opens a folder of the dataset through the folder browser and chooses it. */
  async chooseDatasetFolder(folder: string): Promise<void> {
    await this.page.getByTestId('folders.entry').filter({ hasText: folder }).click();
    await expect(this.page.getByTestId('folders.path')).toHaveValue(new RegExp(`[\\\\/]${folder}$`));
    await this.page.getByTestId('folders.choose').click();
  }
}
