import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { nchwToNhwc, pngDataUrls, readCentreSquare, readConstraintLayer } from './latent-images';

async function pngUrl(
  width: number,
  height: number,
  rgba: (x: number, y: number) => number[],
): Promise<string> {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) data.set(rgba(x, y), (y * width + x) * 4);
  const png = await sharp(data, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  return 'data:image/png;base64,' + png.toString('base64');
}

describe('latent editor images', () => {
  it('reads a painted colour layer at the model size, weighted by coverage', async () => {
    const url = await pngUrl(64, 64, (x, y) => (x < 32 && y < 32 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
    const layer = await readConstraintLayer(url, 16, 'colour strokes');
    expect(layer.weight[0]).toBeCloseTo(1);
    expect(layer.rgb[0]).toBeCloseTo(1);
    expect(layer.rgb[1]).toBeCloseTo(-1);
    expect(layer.weight[15 * 16 + 15]).toBe(0);
    const painted = layer.weight.filter((w) => w > 0.5).length;
    expect(painted).toBeGreaterThanOrEqual(60);
    expect(painted).toBeLessThanOrEqual(68);
  });

  it('refuses a layer that is not square, or has nothing painted, saying which layer', async () => {
    const wide = await pngUrl(40, 20, () => [255, 0, 0, 255]);
    await expect(readConstraintLayer(wide, 16, 'sketch strokes')).rejects.toThrow(
      /sketch strokes is 40×20.*square/,
    );
    const empty = await pngUrl(32, 32, () => [255, 0, 0, 0]);
    await expect(readConstraintLayer(empty, 16, 'colour strokes')).rejects.toThrow(
      /colour strokes has nothing painted/,
    );
    await expect(readConstraintLayer('data:image/png;base64,AAAA', 16, 'colour strokes')).rejects.toThrow(
      /not a readable PNG/,
    );
  });

  it('centre-crops a wide photo with a note and keeps a square one as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latent-images-'));
    const wide = join(dir, 'wide.png');
    const raw = Buffer.alloc(60 * 20 * 3);
    for (let x = 0; x < 60; x += 1)
      for (let y = 0; y < 20; y += 1) raw[(y * 60 + x) * 3] = x >= 20 && x < 40 ? 255 : 0;
    await sharp(raw, { raw: { width: 60, height: 20, channels: 3 } })
      .png()
      .toFile(wide);
    const { pixels, notes } = await readCentreSquare(wide, 8);
    expect(notes[0]).toMatch(/wide\.png is 60×20.*centre 20×20.*8×8/);
    expect(Math.min(...Array.from({ length: 64 }, (_, p) => pixels[p * 3] ?? -1))).toBeGreaterThan(0.9);
    const square = join(dir, 'square.png');
    await sharp(raw.subarray(0, 20 * 20 * 3), { raw: { width: 20, height: 20, channels: 3 } })
      .png()
      .toFile(square);
    expect((await readCentreSquare(square, 8)).notes).toEqual([]);
  });

  it('turns NCHW outputs into NHWC PNGs of the model size', async () => {
    const nchw = new Float32Array([1, 1, 1, 1, -1, -1, -1, -1, 0, 0, 0, 0]);
    const nhwc = nchwToNhwc(nchw, 1, 3, 2);
    expect(Array.from(nhwc.slice(0, 3))).toEqual([1, -1, 0]);
    const [url] = await pngDataUrls(nhwc, 1, 2);
    const decoded = await sharp(Buffer.from(url!.split(',')[1]!, 'base64'))
      .raw()
      .toBuffer();
    expect(Array.from(decoded.subarray(0, 3))).toEqual([255, 0, 128]);
  });
});
