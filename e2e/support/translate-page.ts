import { expect, type Locator, type Page } from '@playwright/test';
import { CanvasPage } from './canvas-page';

/** What the translation stage shows: the drawing's ink and the result, as data URLs, and where the result sits. */
export interface TranslateImages {
  ink: string | null;
  result: string | null;
  resultVisible: boolean;
  resultX: number;
  resultOpacity: number;
}

/** The Canvas panel in Translate mode, plus readings of the stage it draws. */
export class TranslatePage {
  readonly canvas: CanvasPage;
  readonly stage: Locator;
  readonly status: Locator;
  readonly error: Locator;
  readonly undo: Locator;
  readonly redo: Locator;

  constructor(readonly page: Page) {
    this.canvas = new CanvasPage(page);
    this.stage = page.getByTestId('canvas.stage');
    this.status = page.getByTestId('translate.status');
    this.error = page.getByTestId('translate.error');
    this.undo = page.getByTestId('translate.undo');
    this.redo = page.getByTestId('translate.redo');
  }

  /** Drags the mouse through page points, as a person draws a stroke. */
  async stroke(points: [number, number][]): Promise<void> {
    await this.canvas.stroke(points);
  }

  /** The revision of the drawing that the result on show was made from (0 before the first). */
  async resultRevision(): Promise<number> {
    return Number(await this.status.getAttribute('data-result-revision'));
  }

  /** Waits until a result newer than `revision` is drawn, and returns its data URL. */
  async nextResult(revision: number): Promise<string> {
    await expect.poll(() => this.resultRevision(), { timeout: 60_000 }).toBeGreaterThan(revision);
    let url: string | null = null;
    await expect
      .poll(
        async () => {
          const shown = await this.images();
          url = shown.resultVisible ? shown.result : null;
          return url;
        },
        { timeout: 30_000 },
      )
      .toMatch(/^data:image\/png;base64,/);
    return url!;
  }

  /** Waits until the drawn result differs from `previous`, and returns it. */
  async resultOtherThan(previous: string): Promise<string> {
    let url = previous;
    await expect
      .poll(
        async () => {
          url = (await this.images()).result ?? previous;
          return url;
        },
        { timeout: 60_000 },
      )
      .not.toBe(previous);
    return url;
  }

  /**
   * Waits until `count` strokes have been timed to their result (the result that includes the
   * last of them is then on the stage), and returns that result's data URL.
   */
  async strokeResult(count: number): Promise<string> {
    await expect(this.status).toHaveAttribute('data-live-count', String(count), { timeout: 60_000 });
    return (await this.images()).result!;
  }

  /** The newest stroke-end → result figure on the status line, in ms. */
  async liveMs(): Promise<number> {
    return Number(await this.status.getAttribute('data-live-ms'));
  }

  /** The page's ink canvas and the result's canvas, as the stage shows them. */
  async images(): Promise<TranslateImages> {
    return this.page.evaluate(() => {
      interface Element {
        toDataURL(): string;
        getAttribute(name: string): string | null;
        querySelector(s: string): Element | null;
      }
      const g = globalThis as unknown as {
        document: { querySelector(s: string): Element | null };
        getComputedStyle(e: Element): { opacity: string };
      };
      const box = g.document.querySelector('[data-testid="canvas.result"]');
      const result = box?.querySelector('canvas') ?? null;
      return {
        ink: g.document.querySelector('[data-testid="canvas.ink"]')?.toDataURL() ?? null,
        result: result?.toDataURL() ?? null,
        resultVisible: !!result,
        resultX: Number(box?.getAttribute('data-x') ?? 0),
        resultOpacity: box ? Number(g.getComputedStyle(box).opacity) : 1,
      };
    });
  }
}
