import type { PixelRect } from './mask-bitmap';

/**
 * The pixels a paint bucket fills from (x, y) in RGBA pixels of `width`×`height`: the
 * 4-connected region whose colour lies within `tolerance` (per channel, 0–255) of the start
 * pixel's. Returns one byte per pixel (1 = fill) and the rectangle it spans, or null when (x, y)
 * lies outside.
 */
export function floodRegion(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  x: number,
  y: number,
  tolerance = 32,
): { region: Uint8Array; rect: PixelRect } | null {
  const sx = Math.floor(x);
  const sy = Math.floor(y);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return null;
  const start = (sy * width + sx) * 4;
  const target = [rgba[start]!, rgba[start + 1]!, rgba[start + 2]!, rgba[start + 3]!];
  const region = new Uint8Array(width * height);
  const similar = (i: number): boolean => {
    const o = i * 4;
    for (let c = 0; c < 4; c += 1) if (Math.abs(rgba[o + c]! - target[c]!) > tolerance) return false;
    return true;
  };
  let x0 = sx;
  let x1 = sx;
  let y0 = sy;
  let y1 = sy;
  const stack = [sy * width + sx];
  region[stack[0]!] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const px = i % width;
    const py = (i - px) / width;
    x0 = Math.min(x0, px);
    x1 = Math.max(x1, px);
    y0 = Math.min(y0, py);
    y1 = Math.max(y1, py);
    const next = [
      px > 0 ? i - 1 : -1,
      px < width - 1 ? i + 1 : -1,
      py > 0 ? i - width : -1,
      py < height - 1 ? i + width : -1,
    ];
    for (const n of next) {
      if (n >= 0 && !region[n] && similar(n)) {
        region[n] = 1;
        stack.push(n);
      }
    }
  }
  return { region, rect: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } };
}
