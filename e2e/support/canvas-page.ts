import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';

/** The parts of Konva's scene graph the tests read (the page has Konva as a global). */
interface KonvaGlobal {
  stages: {
    scaleX(): number;
    x(): number;
    y(): number;
    findOne(selector: string): { image(): unknown; visible(): boolean } | undefined;
  }[];
}

/** An image decoded to RGBA. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The data URLs of the stage's image nodes: the image, the fill on show and the mask overlay. */
export interface StageImages {
  picture: string | null;
  result: string | null;
  resultVisible: boolean;
  mask: string | null;
}

/** Decodes a PNG data URL to RGBA pixels. */
export async function decodeDataUrl(url: string): Promise<Pixels> {
  const base64 = url.slice(url.indexOf(',') + 1);
  const { data, info } = await sharp(Buffer.from(base64, 'base64'))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The Canvas panel as a person sees it, plus readings of the Konva stage it draws. */
export class CanvasPage {
  readonly stage: Locator;
  readonly fill: Locator;
  readonly accept: Locator;
  readonly revert: Locator;
  readonly save: Locator;
  readonly status: Locator;
  readonly error: Locator;
  readonly undo: Locator;
  readonly redo: Locator;

  constructor(readonly page: Page) {
    this.stage = page.getByTestId('canvas.stage');
    this.fill = page.getByTestId('canvas.fill');
    this.accept = page.getByTestId('canvas.accept');
    this.revert = page.getByTestId('canvas.revert');
    this.save = page.getByTestId('canvas.save');
    this.status = page.getByTestId('canvas.status');
    this.error = page.getByTestId('canvas.error');
    this.undo = page.getByTestId('canvas.undo');
    this.redo = page.getByTestId('canvas.redo');
  }

  /** Opens the first image of the dataset's `folder` through the folder browser. */
  async openFirstImage(folder: string): Promise<void> {
    await this.page.getByTestId('canvas.open').click();
    await this.page.getByTestId('folders.entry').filter({ hasText: folder }).click();
    await this.page.getByTestId('folders.file').first().click();
    await this.page.getByTestId('folders.choose').click();
  }

  /** The screen point over an image point, from the stage's transform. */
  async toScreen(x: number, y: number): Promise<{ x: number; y: number }> {
    const box = await this.stage.boundingBox();
    if (!box) throw new Error('the stage has no box');
    const view = await this.page.evaluate(() => {
      const stage = (globalThis as unknown as { Konva: KonvaGlobal }).Konva.stages[0]!;
      return { scale: stage.scaleX(), x: stage.x(), y: stage.y() };
    });
    return { x: box.x + view.x + x * view.scale, y: box.y + view.y + y * view.scale };
  }

  /** Drags the mouse through image points, as a person paints a stroke. */
  async stroke(points: [number, number][]): Promise<void> {
    const [first, ...rest] = points;
    if (!first) return;
    const start = await this.toScreen(...first);
    await this.page.mouse.move(start.x, start.y);
    await this.page.mouse.down();
    for (const point of rest) {
      const at = await this.toScreen(...point);
      await this.page.mouse.move(at.x, at.y, { steps: 10 });
    }
    await this.page.mouse.up();
  }

  /** The stage's image nodes as data URLs. */
  async images(): Promise<StageImages> {
    return this.page.evaluate(() => {
      const stage = (globalThis as unknown as { Konva: KonvaGlobal }).Konva.stages[0]!;
      const url = (name: string): string | null => {
        const image = stage.findOne(`.${name}`)?.image() as
          | { src?: string; toDataURL?: () => string }
          | undefined;
        return image?.toDataURL?.() ?? image?.src ?? null;
      };
      return {
        picture: url('picture'),
        result: url('result'),
        resultVisible: stage.findOne('.result')?.visible() ?? false,
        mask: url('mask'),
      };
    });
  }

  /** The mask overlay's pixels that are in the hole (drawn, not transparent), by index. */
  async holePixels(): Promise<Set<number>> {
    const mask = (await this.images()).mask;
    if (!mask) return new Set();
    const pixels = await decodeDataUrl(mask);
    const hole = new Set<number>();
    for (let i = 0; i < pixels.width * pixels.height; i += 1) if (pixels.data[i * 4 + 3]! > 0) hole.add(i);
    return hole;
  }
}
