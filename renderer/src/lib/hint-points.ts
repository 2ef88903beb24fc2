import { parseHexColor } from './color';
import type { Point } from './mask-bitmap';

/** A colour hint placed on the page: an image pixel and the colour asked for there (`#rrggbb`). */
export interface HintPoint extends Point {
  color: string;
}

/** The side of a hint's square in image pixels: about 1/32 of the page's shorter side, at least 1. */
export function hintSide(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) / 32));
}

/**
 * The hint image's RGBA pixels for a `width`×`height` page: each hint is an opaque square of
 * its colour, `hintSide` pixels wide, centred on its point (later hints cover earlier ones);
 * everything else is transparent, which means no hint. Squares are clipped to the page.
 */
export function hintPixels(
  points: readonly HintPoint[],
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> {
  const data = new Uint8ClampedArray(width * height * 4);
  const side = hintSide(width, height);
  const before = Math.floor((side - 1) / 2);
  for (const point of points) {
    const [r, g, b] = parseHexColor(point.color);
    const left = Math.floor(point.x) - before;
    const top = Math.floor(point.y) - before;
    for (let y = Math.max(0, top); y < Math.min(height, top + side); y += 1) {
      for (let x = Math.max(0, left); x < Math.min(width, left + side); x += 1) {
        const o = (y * width + x) * 4;
        data[o] = r;
        data[o + 1] = g;
        data[o + 2] = b;
        data[o + 3] = 255;
      }
    }
  }
  return data;
}
