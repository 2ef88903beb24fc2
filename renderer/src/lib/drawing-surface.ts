import { parseHexColor } from './color';
import { floodRegion } from './flood-fill';
import type { Point } from './mask-bitmap';
import { offscreen } from './mask-image';

/**
 * The translation canvas's drawing: a base (a white page, or an opened image) under an ink
 * layer of strokes. The pen paints ink, the eraser takes ink away to show the base again, the
 * paint bucket fills a region of what shows.
 */
export class DrawingSurface {
  readonly base: HTMLCanvasElement;
  readonly ink: HTMLCanvasElement;
  private readonly baseContext: CanvasRenderingContext2D;
  private readonly inkContext: CanvasRenderingContext2D;

  constructor(
    readonly width: number,
    readonly height: number,
    image?: CanvasImageSource,
  ) {
    [this.base, this.baseContext] = offscreen(width, height);
    [this.ink, this.inkContext] = offscreen(width, height);
    this.baseContext.fillStyle = '#ffffff';
    this.baseContext.fillRect(0, 0, width, height);
    if (image) this.baseContext.drawImage(image, 0, 0, width, height);
  }

  /** Paints (or, erasing, takes away) a round-ended line of `width` image pixels from `from` to `to`. */
  segment(from: Point, to: Point, color: string, width: number, erase: boolean): void {
    const context = this.inkContext;
    context.save();
    context.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
    context.strokeStyle = erase ? '#000000' : color;
    context.fillStyle = context.strokeStyle;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = width;
    context.beginPath();
    if (from.x === to.x && from.y === to.y) {
      context.arc(from.x, from.y, width / 2, 0, Math.PI * 2);
      context.fill();
    } else {
      context.moveTo(from.x, from.y);
      context.lineTo(to.x, to.y);
      context.stroke();
    }
    context.restore();
  }

  /** Fills the region of like colour around `at` (as the drawing shows it) with `color`; false outside. */
  bucket(at: Point, color: string): boolean {
    const shown = this.composite().getContext('2d')!.getImageData(0, 0, this.width, this.height);
    const filled = floodRegion(shown.data, this.width, this.height, at.x, at.y, 48);
    if (!filled) return false;
    const { region, rect } = filled;
    const [r, g, b] = parseHexColor(color);
    const ink = this.inkContext.getImageData(rect.x, rect.y, rect.width, rect.height);
    for (let y = 0; y < rect.height; y += 1) {
      for (let x = 0; x < rect.width; x += 1) {
        if (!region[(rect.y + y) * this.width + rect.x + x]) continue;
        const o = (y * rect.width + x) * 4;
        ink.data[o] = r;
        ink.data[o + 1] = g;
        ink.data[o + 2] = b;
        ink.data[o + 3] = 255;
      }
    }
    this.inkContext.putImageData(ink, rect.x, rect.y);
    return true;
  }

  /** The ink as it is now, for undo. */
  snapshot(): ImageData {
    return this.inkContext.getImageData(0, 0, this.width, this.height);
  }

  /** Puts back ink taken by `snapshot`. */
  restore(ink: ImageData): void {
    this.inkContext.putImageData(ink, 0, 0);
  }

  /** The drawing (base and ink) as a PNG data URL, as Save PNG writes it. */
  toPng(): string {
    return this.composite().toDataURL('image/png');
  }

  /** The drawing's RGBA pixels, scaled (smoothly) to `size` when given, as a model reads it. */
  pixels(size: { width: number; height: number } = this): ImageData {
    return this.composite(size).getContext('2d')!.getImageData(0, 0, size.width, size.height);
  }

  private composite(size: { width: number; height: number } = this): HTMLCanvasElement {
    const [canvas, context] = offscreen(size.width, size.height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(this.base, 0, 0, size.width, size.height);
    context.drawImage(this.ink, 0, 0, size.width, size.height);
    return canvas;
  }
}
