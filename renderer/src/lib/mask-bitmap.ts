/** A hole mask at the image's resolution: one byte per pixel, 1 in the hole and 0 elsewhere. */
export interface MaskBitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A point in image pixels (fractional: pixel (x, y) spans [x, x+1) × [y, y+1)). */
export interface Point {
  x: number;
  y: number;
}

/** A rectangle of whole pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An empty mask of `width`×`height`. */
export function emptyMask(width: number, height: number): MaskBitmap {
  return { width, height, data: new Uint8Array(width * height) };
}

/** The whole mask as a rectangle. */
export function fullRect(mask: MaskBitmap): PixelRect {
  return { x: 0, y: 0, width: mask.width, height: mask.height };
}

/** The smallest rectangle holding both (either may be null). */
export function unionRect(a: PixelRect | null, b: PixelRect | null): PixelRect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/**
 * Calls `visit` with the index of every pixel of a `width`×`height` grid whose centre lies within
 * `diameter / 2` of the segment `from`–`to` (a round brush dragged along it). Returns the pixels
 * it may have visited, or null when the segment lies wholly outside the grid.
 */
export function forEachSegmentPixel(
  width: number,
  height: number,
  from: Point,
  to: Point,
  diameter: number,
  visit: (index: number) => void,
): PixelRect | null {
  // Never thinner than the pixel under the pointer.
  const radius = Math.max(Math.SQRT1_2, diameter / 2);
  const x0 = Math.max(0, Math.floor(Math.min(from.x, to.x) - radius));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(from.x, to.x) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(from.y, to.y) - radius));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(from.y, to.y) + radius));
  if (x0 > x1 || y0 > y1) return null;
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const lengthSq = dx * dx + dy * dy;
  const r2 = radius * radius;
  for (let y = y0; y <= y1; y += 1) {
    const row = y * width;
    for (let x = x0; x <= x1; x += 1) {
      const px = x + 0.5 - from.x;
      const py = y + 0.5 - from.y;
      const t = lengthSq > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSq)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey <= r2) visit(row + x);
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Sets (`value` 1) or erases (0) every pixel whose centre lies within `diameter / 2` of the
 * segment `from`–`to` (a round brush dragged along it). Returns the pixels it may have changed,
 * or null when the segment lies wholly outside the mask.
 */
export function paintSegment(
  mask: MaskBitmap,
  from: Point,
  to: Point,
  diameter: number,
  value: 0 | 1,
): PixelRect | null {
  const data = mask.data;
  return forEachSegmentPixel(mask.width, mask.height, from, to, diameter, (i) => (data[i] = value));
}

/** Swaps hole and the rest. */
export function invertMask(mask: MaskBitmap): void {
  const data = mask.data;
  for (let i = 0; i < data.length; i += 1) data[i] = data[i] ? 0 : 1;
}

/** The number of pixels in the hole. */
export function maskArea(mask: MaskBitmap): number {
  let area = 0;
  for (let i = 0; i < mask.data.length; i += 1) area += mask.data[i]!;
  return area;
}

/** A mask with one bit per pixel, as the undo history keeps it (an eighth of the bytes). */
export function packMask(mask: MaskBitmap): Uint8Array {
  const packed = new Uint8Array(Math.ceil(mask.data.length / 8));
  const data = mask.data;
  for (let i = 0; i < data.length; i += 1) if (data[i]) packed[i >> 3]! |= 1 << (i & 7);
  return packed;
}

/** Writes a packed mask back into `mask`'s bytes (which must have the packed mask's size). */
export function unpackInto(packed: Uint8Array, mask: MaskBitmap): void {
  const data = mask.data;
  for (let i = 0; i < data.length; i += 1) data[i] = (packed[i >> 3]! >> (i & 7)) & 1;
}

/**
 * A mask from RGBA pixels of the image's size, as a decoded mask file or canvas gives them:
 * a pixel is in the hole where it is bright and opaque (white on black).
 */
export function maskFromRgba(rgba: ArrayLike<number>, width: number, height: number): MaskBitmap {
  const mask = emptyMask(width, height);
  for (let i = 0; i < mask.data.length; i += 1) {
    const o = i * 4;
    const light = (rgba[o]! + rgba[o + 1]! + rgba[o + 2]!) / 3;
    mask.data[i] = light >= 128 && rgba[o + 3]! >= 128 ? 1 : 0;
  }
  return mask;
}

/** Writes the mask as the engine reads it into RGBA pixels: opaque white in the hole, opaque black elsewhere. */
export function maskToRgba(mask: MaskBitmap, rgba: Uint8ClampedArray): void {
  for (let i = 0; i < mask.data.length; i += 1) {
    const v = mask.data[i] ? 255 : 0;
    const o = i * 4;
    rgba[o] = v;
    rgba[o + 1] = v;
    rgba[o + 2] = v;
    rgba[o + 3] = 255;
  }
}

/** An RGBA colour, 0–255 each. */
export type Rgba = [number, number, number, number];

/**
 * Paints the overlay that shows the mask on the stage into `rgba` (the mask's size): `color` in
 * the hole, transparent elsewhere, only inside `rect`.
 */
export function paintOverlay(mask: MaskBitmap, rgba: Uint8ClampedArray, rect: PixelRect, color: Rgba): void {
  const [r, g, b, a] = color;
  for (let y = rect.y; y < rect.y + rect.height; y += 1) {
    for (let x = rect.x; x < rect.x + rect.width; x += 1) {
      const i = y * mask.width + x;
      const o = i * 4;
      const on = mask.data[i] === 1;
      rgba[o] = on ? r : 0;
      rgba[o + 1] = on ? g : 0;
      rgba[o + 2] = on ? b : 0;
      rgba[o + 3] = on ? a : 0;
    }
  }
}
