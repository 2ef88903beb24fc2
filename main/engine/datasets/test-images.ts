import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { renderDemoPair } from './demo-dataset';

/** A colour per test image: red is `id % 256`, so a decoded sample tells which file it came from. */
export function colorOf(id: number, side: 'A' | 'B' = 'A'): [number, number, number] {
  return side === 'A' ? [id % 256, 40, 80] : [id % 256, 200, 160];
}

/** Writes a solid `colorOf(id)` image for tests (PNG, or JPEG for a .jpg path), creating folders. */
export async function writeSolid(path: string, width: number, height: number, id: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const [r, g, b] = colorOf(id);
  const image = sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
  await (path.endsWith('.jpg') ? image.jpeg({ quality: 100 }) : image.png()).toFile(path);
}

/** Writes an aligned A|B test image: `colorOf(id, 'A')` on the left, `colorOf(id, 'B')` on the right. */
export async function writeAligned(path: string, side: number, id: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const data = new Uint8Array(side * 2 * side * 3);
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < 2 * side; x += 1) data.set(colorOf(id, x < side ? 'A' : 'B'), (y * 2 * side + x) * 3);
  }
  await sharp(data, { raw: { width: 2 * side, height: side, channels: 3 } })
    .png()
    .toFile(path);
}

/** Writes a `side`² PNG: `colorOf(id, 'A')` on the left half and `colorOf(id, 'B')` on the right, to see flips. */
export async function writeHalves(path: string, side: number, id: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) data.set(colorOf(id, x < side / 2 ? 'A' : 'B'), (y * side + x) * 3);
  }
  await sharp(data, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toFile(path);
}

/** Writes a one-channel grayscale PNG of `value` (0–255), creating folders. */
export async function writeGray(path: string, width: number, height: number, value: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await sharp(new Uint8Array(width * height).fill(value), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(path);
}

/**
 * Writes `count` photos of demo shapes (the B side of the demo pairs) into one folder for tests
 * of GANs that learn from photos alone; every `wideEvery`-th photo is stretched to 4:3, so a
 * square centre crop has something to cut.
 */
export async function writeShapePhotos(
  dir: string,
  count: number,
  o: { size: number; seed?: number; wideEvery?: number },
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const { b } = renderDemoPair(o.size, o.seed ?? 0, i);
    const wide = o.wideEvery !== undefined && i % o.wideEvery === 0;
    await sharp(Buffer.from(b), { raw: { width: o.size, height: o.size, channels: 3 } })
      .resize(wide ? Math.round((o.size * 4) / 3) : o.size, o.size, { fit: 'fill' })
      .png()
      .toFile(join(dir, `photo-${String(i).padStart(4, '0')}.png`));
  }
}
