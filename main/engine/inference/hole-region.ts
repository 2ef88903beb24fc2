/**
 * The arithmetic of filling a painted hole in an image of any size: which region around the hole
 * the model sees, how soft the hole's edge is, and how the model's pixels go back in. Plain
 * arrays (RGB bytes, masks with 1 = hole), so it is tested without a model.
 */

/** A rectangle in image pixels. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A mask from an RGB(A) picture of it: a pixel is hole where it is brighter than mid-grey. */
export function maskFromPixels(pixels: Uint8Array, channels: number): Uint8Array {
  const count = Math.floor(pixels.length / channels);
  const mask = new Uint8Array(count);
  for (let p = 0; p < count; p += 1) {
    let sum = 0;
    const colour = Math.min(3, channels);
    for (let c = 0; c < colour; c += 1) sum += pixels[p * channels + c]!;
    const alpha = channels === 4 || channels === 2 ? pixels[p * channels + channels - 1]! : 255;
    mask[p] = sum / colour > 127 && alpha > 127 ? 1 : 0;
  }
  return mask;
}

/** The smallest rectangle holding every hole pixel and how many there are; null for an empty mask. */
export function holeBounds(mask: Uint8Array, width: number): (Rect & { pixels: number }) | null {
  let left = Infinity;
  let top = Infinity;
  let right = -1;
  let bottom = -1;
  let pixels = 0;
  for (let p = 0; p < mask.length; p += 1) {
    if (!mask[p]) continue;
    pixels += 1;
    const x = p % width;
    const y = (p - x) / width;
    if (x < left) left = x;
    if (x > right) right = x;
    if (y < top) top = y;
    if (y > bottom) bottom = y;
  }
  if (pixels === 0) return null;
  return { left, top, width: right - left + 1, height: bottom - top + 1, pixels };
}

/**
 * The region the model sees: the hole's bounds with half their size again as context on every
 * side (at least 16 px), grown to at least the model's size where the image allows so small
 * holes are filled at full resolution, and kept square when it can be; clamped to the image.
 */
export function contextRegion(hole: Rect, imageWidth: number, imageHeight: number, modelSize: number): Rect {
  const margin = Math.max(16, Math.ceil(Math.max(hole.width, hole.height) / 2));
  const side = Math.max(modelSize, Math.max(hole.width, hole.height) + 2 * margin);
  const span = (start: number, length: number, want: number, limit: number): [number, number] => {
    const size = Math.min(limit, Math.max(want, length + 2 * margin));
    const centre = start + length / 2;
    const from = Math.round(Math.min(Math.max(0, centre - size / 2), limit - size));
    return [from, size];
  };
  const [left, width] = span(hole.left, hole.width, side, imageWidth);
  const [top, height] = span(hole.top, hole.height, side, imageHeight);
  return { left, top, width, height };
}

/**
 * How much of the fill each pixel takes: 0 outside the hole, rising from the hole's edge to 1 at
 * `feather` pixels inside it (chamfer distance), so the image outside the hole never changes.
 * A feather of 0 gives the hard mask.
 */
export function featherAlpha(mask: Uint8Array, width: number, height: number, feather: number): Float32Array {
  const alpha = new Float32Array(mask.length);
  if (feather <= 0) {
    for (let p = 0; p < mask.length; p += 1) alpha[p] = mask[p] ? 1 : 0;
    return alpha;
  }
  const far = width + height;
  const distance = new Float32Array(mask.length);
  for (let p = 0; p < mask.length; p += 1) distance[p] = mask[p] ? far : 0;
  const diagonal = Math.SQRT2;
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      const p = y * width + x;
      if (!distance[p]) continue;
      let d = distance[p]!;
      if (x > 0) d = Math.min(d, distance[p - 1]! + 1);
      if (y > 0) {
        d = Math.min(d, distance[p - width]! + 1);
        if (x > 0) d = Math.min(d, distance[p - width - 1]! + diagonal);
        if (x < width - 1) d = Math.min(d, distance[p - width + 1]! + diagonal);
      }
      distance[p] = d;
    }
  for (let y = height - 1; y >= 0; y -= 1)
    for (let x = width - 1; x >= 0; x -= 1) {
      const p = y * width + x;
      if (!distance[p]) continue;
      let d = distance[p]!;
      if (x < width - 1) d = Math.min(d, distance[p + 1]! + 1);
      if (y < height - 1) {
        d = Math.min(d, distance[p + width]! + 1);
        if (x < width - 1) d = Math.min(d, distance[p + width + 1]! + diagonal);
        if (x > 0) d = Math.min(d, distance[p + width - 1]! + diagonal);
      }
      distance[p] = d;
    }
  for (let p = 0; p < mask.length; p += 1) alpha[p] = mask[p] ? Math.min(1, distance[p]! / feather) : 0;
  return alpha;
}

/**
 * Puts the fill (RGB of `region`'s size) into a copy of the image, blended by `alpha` (the
 * whole image's size); pixels with alpha 0 keep their exact values.
 */
export function compositeFill(
  image: Uint8Array,
  imageWidth: number,
  fill: Uint8Array,
  region: Rect,
  alpha: Float32Array,
): Uint8Array {
  const out = Uint8Array.from(image);
  for (let y = 0; y < region.height; y += 1)
    for (let x = 0; x < region.width; x += 1) {
      const p = (region.top + y) * imageWidth + region.left + x;
      const a = alpha[p]!;
      if (a <= 0) continue;
      for (let c = 0; c < 3; c += 1) {
        const f = fill[(y * region.width + x) * 3 + c]!;
        out[p * 3 + c] = Math.round(a * f + (1 - a) * image[p * 3 + c]!);
      }
    }
  return out;
}

/** Copies a rectangle out of an image of `channels` bytes per pixel. */
export function cropPixels(
  pixels: Uint8Array,
  imageWidth: number,
  channels: number,
  region: Rect,
): Uint8Array {
  const out = new Uint8Array(region.width * region.height * channels);
  for (let y = 0; y < region.height; y += 1) {
    const from = ((region.top + y) * imageWidth + region.left) * channels;
    out.set(pixels.subarray(from, from + region.width * channels), y * region.width * channels);
  }
  return out;
}
