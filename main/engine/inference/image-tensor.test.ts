import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { derivePair } from '../datasets/derive-pairs';
import { ImageReadError } from '../datasets/image-io';
import { StudioError } from '../errors';
import {
  parseValueRange,
  pixelsToRgb,
  readImageTensor,
  rgbToTensor,
  tensorToBytes,
  readMaskTensor,
  resizeNotes,
  writeImageTensor,
} from './image-tensor';

const tempDir = useTempDir();

async function writeRaw(path: string, data: Uint8Array, width: number, height: number, channels: 1 | 3) {
  await sharp(data, { raw: { width, height, channels } }).png().toFile(path);
}

async function solid(path: string, width: number, height: number, rgb: [number, number, number]) {
  const [r, g, b] = rgb;
  await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toFile(path);
}

describe('readImageTensor', () => {
  it('lays an RGB image out NCHW in [-1, 1] without notes when it already fits', async () => {
    const path = join(tempDir(), 'four.png');
    await writeRaw(path, new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0]), 2, 2, 3);
    const t = await readImageTensor(path, { height: 2, width: 2, channels: 3, valueRange: '-1,1' });
    expect([...t.data]).toEqual([1, -1, -1, -1, -1, 1, -1, -1, -1, -1, 1, -1]);
    expect(t.notes).toEqual([]);
    expect(t).toMatchObject({ sourceWidth: 2, sourceHeight: 2 });
  });

  it('scales to [0, 1] and converts to grayscale for one-channel models, saying so', async () => {
    const path = join(tempDir(), 'red.png');
    await solid(path, 4, 4, [255, 0, 0]);
    const t = await readImageTensor(path, { height: 4, width: 4, channels: 1, valueRange: '0,1' });
    expect(t.data.length).toBe(16);
    for (const v of t.data) expect(v).toBeCloseTo(0.299, 3);
    expect(t.notes).toEqual(['converted to grayscale']);
  });

  it('makes a colour picture gray in all three channels for a gray→color model, as training derived it, saying so', async () => {
    const path = join(tempDir(), 'colour.png');
    const rgb = new Uint8Array([200, 40, 10, 0, 255, 0, 30, 60, 250, 90, 90, 90]);
    await writeRaw(path, rgb, 2, 2, 3);
    const shape = { height: 2, width: 2, channels: 3, valueRange: '-1,1' };
    const t = await readImageTensor(path, shape, { gray: true });
    const derived = derivePair('gray2color', rgb, 2, 2);
    for (let p = 0; p < 4; p += 1)
      for (let c = 0; c < 3; c += 1)
        expect(t.data[c * 4 + p]).toBeCloseTo(derived[p * 3 + c]! / 127.5 - 1, 6);
    expect(t.data[0]).toBe(t.data[4]);
    expect(t.data[0]).not.toBeCloseTo(200 / 127.5 - 1, 2);
    expect(t.notes).toEqual([
      'made gray first, as this gray→color model was trained on gray versions of photos',
    ]);

    const kept = await readImageTensor(path, shape);
    expect(kept.data[0]).toBeCloseTo(200 / 127.5 - 1, 6);
    expect(kept.notes).toEqual([]);
  });

  it('leaves a picture that is already gray as it is, without a note, for a gray→color model', async () => {
    const path = join(tempDir(), 'gray.png');
    await solid(path, 4, 4, [120, 120, 120]);
    const t = await readImageTensor(
      path,
      { height: 4, width: 4, channels: 3, valueRange: '-1,1' },
      { gray: true },
    );
    for (const v of t.data) expect(v).toBeCloseTo(120 / 127.5 - 1, 6);
    expect(t.notes).toEqual([]);
  });

  it('resizes the whole picture and says when the aspect ratio changes', async () => {
    const path = join(tempDir(), 'wide.png');
    await solid(path, 64, 48, [0, 128, 255]);
    const t = await readImageTensor(path, { height: 16, width: 16, channels: 3, valueRange: '-1,1' });
    expect(t.data.length).toBe(3 * 16 * 16);
    expect(t.notes).toEqual([
      'resized from 64×48 to 16×16; the aspect ratio changed from 1.33 to 1.00, so the picture is stretched',
    ]);
    expect(t.data[0]).toBeCloseTo(-1, 5);
    expect(t.data[256]).toBeCloseTo(128 / 127.5 - 1, 5);
    expect(t.data[512]).toBeCloseTo(1, 5);
  });

  it('names a file that is not an image', async () => {
    const path = join(tempDir(), 'broken.png');
    writeFileSync(path, 'not a png at all');
    const error = await readImageTensor(path, { height: 8, width: 8, channels: 3, valueRange: '-1,1' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImageReadError);
    expect((error as Error).message).toContain(path);
  });

  it('refuses a model shape it cannot fill', async () => {
    const path = join(tempDir(), 'x.png');
    await solid(path, 4, 4, [0, 0, 0]);
    await expect(
      readImageTensor(path, { height: 4, width: 4, channels: 4, valueRange: '-1,1' }),
    ).rejects.toThrow(/4 image channels are not supported/);
    await expect(
      readImageTensor(path, { height: 4, width: 4, channels: 3, valueRange: '1,0' }),
    ).rejects.toThrow(/value range "1,0" is not valid/);
  });
});

/** Bytes that cover every value, from a fixed seed. */
function noise(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('the live canvas pixel conversions', () => {
  it('composites RGBA over white and spreads gray, pixel by pixel', () => {
    const rgba = noise(64 * 4);
    for (let p = 0; p < 64; p += 8) rgba[p * 4 + 3] = 255;
    const rgb = pixelsToRgb({ width: 8, height: 8, channels: 4, data: rgba });
    for (let p = 0; p < 64; p += 1) {
      const alpha = rgba[p * 4 + 3]! / 255;
      for (let c = 0; c < 3; c += 1)
        expect(rgb[p * 3 + c]).toBe(Math.round(rgba[p * 4 + c]! * alpha + 255 * (1 - alpha)));
    }
    const gray = noise(6, 3);
    expect([...pixelsToRgb({ width: 3, height: 2, channels: 1, data: gray })]).toEqual(
      [...gray].flatMap((g) => [g, g, g]),
    );
  });

  it('lays RGB out as NCHW planes in the value range', async () => {
    const rgb = noise(6 * 5 * 3);
    for (const valueRange of ['-1,1', '0,1']) {
      const [low, high] = valueRange.split(',').map(Number) as [number, number];
      const { data } = await rgbToTensor(
        rgb,
        { width: 6, height: 5 },
        { width: 6, height: 5, channels: 3, valueRange },
      );
      for (let p = 0; p < 30; p += 1)
        for (let c = 0; c < 3; c += 1)
          expect(data[c * 30 + p]).toBe(Math.fround(low + rgb[p * 3 + c]! * ((high - low) / 255)));
    }
  });

  it('turns NCHW output into rounded, clamped bytes, NaN as 0', () => {
    const plane = [-2, -1, -0.999, 0, 0.0019, 0.002, 0.5, 0.999, 1, 1.5, Number.NaN, Infinity, -Infinity];
    const values = Float32Array.from([...plane, ...plane.map((v) => -v), ...plane.map((v) => v / 2)]);
    const bytes = tensorToBytes(values, { width: plane.length, height: 1, channels: 3, valueRange: '-1,1' });
    for (let p = 0; p < plane.length; p += 1)
      for (let c = 0; c < 3; c += 1) {
        const v = values[c * plane.length + p]!;
        const expected = Number.isNaN(v) ? 0 : Math.round(Math.min(255, Math.max(0, (v + 1) * 127.5)));
        expect(bytes[p * 3 + c], `value ${v}`).toBe(expected);
      }
  });
});

describe('resizeNotes', () => {
  it('is quiet at the same size, and does not mention stretching when the ratio is kept', () => {
    expect(resizeNotes({ width: 8, height: 8 }, { width: 8, height: 8 })).toEqual([]);
    expect(resizeNotes({ width: 256, height: 256 }, { width: 128, height: 128 })).toEqual([
      'resized from 256×256 to 128×128',
    ]);
  });
});

describe('parseValueRange', () => {
  it('reads both conventions', () => {
    expect(parseValueRange('-1,1')).toEqual({ low: -1, high: 1 });
    expect(parseValueRange('0, 1')).toEqual({ low: 0, high: 1 });
    expect(() => parseValueRange('0..1')).toThrow(StudioError);
  });
});

describe('readMaskTensor', () => {
  it('thresholds at one half and resizes with nearest sampling so it stays binary', async () => {
    const path = join(tempDir(), 'mask.png');
    const gray = new Uint8Array(8 * 8);
    for (let y = 0; y < 8; y += 1) for (let x = 0; x < 8; x += 1) gray[y * 8 + x] = x < 4 ? 200 : 100;
    await writeRaw(path, gray, 8, 8, 1);
    const mask = await readMaskTensor(
      path,
      { path: 'image.png', width: 8, height: 8 },
      { width: 4, height: 4 },
    );
    expect([...mask]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('refuses a mask of another size, naming both files and sizes', async () => {
    const path = join(tempDir(), 'small-mask.png');
    await solid(path, 10, 8, [255, 255, 255]);
    const image = { path: '/photos/cat.jpg', width: 640, height: 480 };
    await expect(readMaskTensor(path, image, { width: 4, height: 4 })).rejects.toThrow(
      `The mask ${path} is 10×8 but its image /photos/cat.jpg is 640×480; a mask must have the same size as its image.`,
    );
  });
});

describe('writeImageTensor', () => {
  it('writes RGB from NCHW in [-1, 1], clamping and mapping NaN to 0', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.png');
    const data = new Float32Array([1, -1, 0, 5, -1, 1, Number.NaN, -1, -1, -1, 1, -7]);
    await writeImageTensor(path, data, { height: 2, width: 2, channels: 3, valueRange: '-1,1' });
    const { data: pixels, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 2, height: 2, channels: 3 });
    expect([...pixels]).toEqual([255, 0, 0, 0, 255, 0, 128, 0, 255, 255, 0, 0]);
    expect(readdirSync(dir)).toEqual(['out.png']);
  });

  it('writes a one-channel output in [0, 1] as a grayscale PNG', async () => {
    const path = join(tempDir(), 'gray.png');
    await writeImageTensor(path, new Float32Array([0, 0.5, 1, 0.25]), {
      height: 2,
      width: 2,
      channels: 1,
      valueRange: '0,1',
    });
    expect((await sharp(path).metadata()).channels).toBe(1);
    const data = await sharp(path).extractChannel(0).raw().toBuffer();
    expect([...data]).toEqual([0, 128, 255, 64]);
  });

  it('refuses an output smaller than the image and writes nothing', async () => {
    const path = join(tempDir(), 'short.png');
    await expect(
      writeImageTensor(path, new Float32Array(5), { height: 2, width: 2, channels: 3, valueRange: '-1,1' }),
    ).rejects.toThrow(`Cannot write ${path}: the model output has 5 values, fewer than a 3×2×2 image.`);
    expect(existsSync(path)).toBe(false);
  });
});
