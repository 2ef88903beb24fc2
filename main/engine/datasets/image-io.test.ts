import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { StudioError } from '../errors';
import { decodeImage, fromFloatHWC, ImageReadError, readImageHeader, toFloatHWC, writePng } from './image-io';

const tempDir = useTempDir();

function pixel(data: Uint8Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

function expectNear(actual: number[], expected: number[], tolerance: number): void {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

async function readFailure(promise: Promise<unknown>): Promise<ImageReadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageReadError);
  expect(error).toBeInstanceOf(StudioError);
  return error as ImageReadError;
}

describe('decodeImage', () => {
  it('decodes an RGB PNG exactly', async () => {
    const path = join(tempDir(), 'rgb.png');
    const data = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    await sharp(data, { raw: { width: 2, height: 2, channels: 3 } })
      .png()
      .toFile(path);
    const image = await decodeImage(path);
    expect(image).toMatchObject({ width: 2, height: 2, downscaled: false, sourceWidth: 2, sourceHeight: 2 });
    expect([...image.data]).toEqual([...data]);
  });

  it('turns a grayscale JPEG into three equal channels', async () => {
    const path = join(tempDir(), 'gray.jpg');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 100, g: 100, b: 100 } } })
      .toColourspace('b-w')
      .jpeg()
      .toFile(path);
    expect((await sharp(path).metadata()).channels).toBe(1);
    const image = await decodeImage(path);
    expect(image.data.length).toBe(8 * 8 * 3);
    const [r, g, b] = pixel(image.data, 8, 3, 3);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(Math.abs(r! - 100)).toBeLessThanOrEqual(2);
  });

  it('composites an RGBA PNG over white', async () => {
    const path = join(tempDir(), 'rgba.png');
    const rgba = new Uint8Array([255, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 128]);
    await sharp(rgba, { raw: { width: 3, height: 1, channels: 4 } })
      .png()
      .toFile(path);
    const image = await decodeImage(path);
    expect(image.data.length).toBe(9);
    expect(pixel(image.data, 3, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(image.data, 3, 1, 0)).toEqual([0, 0, 255]);
    expectNear(pixel(image.data, 3, 2, 0), [127, 127, 127], 2);
  });

  it('scales a 16-bit PNG down to 8 bits', async () => {
    const path = join(tempDir(), 'deep.png');
    const deep = new Uint16Array([65535, 0, 32896, 0, 65535, 0]);
    await sharp(deep, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toFile(path);
    expect((await sharp(path).metadata()).depth).toBe('ushort');
    const image = await decodeImage(path);
    expect([...image.data]).toEqual([255, 0, 128, 0, 255, 0]);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const path = join(tempDir(), 'cmyk.jpg');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 30, b: 30 } } })
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .toFile(path);
    expect((await sharp(path).metadata()).space).toBe('cmyk');
    const image = await decodeImage(path);
    expect(image.data.length).toBe(8 * 8 * 3);
    expectNear(pixel(image.data, 8, 4, 4), [200, 30, 30], 40);
  });

  it('applies EXIF orientation', async () => {
    const path = join(tempDir(), 'rotated.jpg');
    const stored = new Uint8Array(8 * 4 * 3);
    for (let y = 0; y < 4; y += 1) {
      for (let x = 0; x < 8; x += 1) stored.set(x < 4 ? [255, 0, 0] : [0, 0, 255], (y * 8 + x) * 3);
    }
    await sharp(stored, { raw: { width: 8, height: 4, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toFile(path);
    expect(await readImageHeader(path)).toMatchObject({ width: 4, height: 8, format: 'jpeg' });
    const image = await decodeImage(path);
    expect([image.width, image.height]).toEqual([4, 8]);
    // Orientation 6 turns the picture a quarter clockwise: the stored left half ends on top.
    expectNear(pixel(image.data, 4, 2, 1), [255, 0, 0], 40);
    expectNear(pixel(image.data, 4, 2, 6), [0, 0, 255], 40);
  });

  it('shrinks a huge image while reading it and says so', async () => {
    const path = join(tempDir(), 'huge.png');
    await sharp({
      create: { width: 12000, height: 12000, channels: 3, background: { r: 10, g: 200, b: 30 } },
    })
      .png()
      .toFile(path);
    const image = await decodeImage(path, { maxSide: 1024 });
    expect(image).toMatchObject({
      width: 1024,
      height: 1024,
      sourceWidth: 12000,
      sourceHeight: 12000,
      downscaled: true,
    });
    expect(image.data.length).toBe(1024 * 1024 * 3);
    expect(pixel(image.data, 1024, 500, 500)).toEqual([10, 200, 30]);
  });

  it('keeps the aspect ratio when shrinking', async () => {
    const path = join(tempDir(), 'wide.png');
    await sharp({ create: { width: 400, height: 100, channels: 3, background: 'white' } })
      .png()
      .toFile(path);
    expect(await decodeImage(path, { maxSide: 200 })).toMatchObject({
      width: 200,
      height: 50,
      downscaled: true,
    });
    expect(await decodeImage(path, { maxSide: 400 })).toMatchObject({
      width: 400,
      height: 100,
      downscaled: false,
    });
  });

  it('names the file and says it is not an image for a text file called .png', async () => {
    const path = join(tempDir(), 'notes.png');
    writeFileSync(path, 'just some text');
    const error = await readFailure(decodeImage(path));
    expect(error.failure).toBe('not-an-image');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not an image/);
  });

  it('names the file and says it is truncated for a cut-off PNG', async () => {
    const dir = tempDir();
    const whole = join(dir, 'whole.png');
    const noise = new Uint8Array(64 * 64 * 3).map((_, i) => (i * 7919) % 251);
    await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toFile(whole);
    const path = join(dir, 'cut.png');
    const bytes = readFileSync(whole);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await readFailure(decodeImage(path));
    expect(error.failure).toBe('corrupt');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/damaged or truncated/);
  });

  it('reports a missing file as not found', async () => {
    const path = join(tempDir(), 'gone.png');
    const error = await readFailure(decodeImage(path));
    expect(error.failure).toBe('not-found');
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(`Cannot read ${path}: the file does not exist.`);
  });
});

describe('float conversion', () => {
  it('maps 0..255 to -1..1 and back', () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 254, 255]);
    const floats = toFloatHWC(bytes);
    expect(floats[0]).toBe(-1);
    expect(floats[5]).toBe(1);
    expect(Math.max(...floats)).toBeLessThanOrEqual(1);
    expect([...fromFloatHWC(floats)]).toEqual([...bytes]);
  });

  it('clamps out-of-range values and maps NaN to 0', () => {
    expect([...fromFloatHWC(new Float32Array([-3, 3, Number.NaN, 0]))]).toEqual([0, 255, 0, 128]);
  });
});

describe('writePng', () => {
  it('writes a PNG that decodes to the same pixels, leaving no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.png');
    const rgb = new Uint8Array(4 * 3 * 3).map((_, i) => i * 6);
    await writePng(path, rgb, 4, 3);
    await writePng(path, rgb, 4, 3);
    expect(readdirSync(dir)).toEqual(['out.png']);
    const image = await decodeImage(path);
    expect([image.width, image.height]).toEqual([4, 3]);
    expect([...image.data]).toEqual([...rgb]);
  });

  it('refuses pixels that do not match the size, and cleans up when the folder is missing', async () => {
    const dir = tempDir();
    await expect(writePng(join(dir, 'x.png'), new Uint8Array(5), 2, 2)).rejects.toThrow(/do not make a 2×2/);
    const missing = join(dir, 'nope', 'x.png');
    await expect(writePng(missing, new Uint8Array(12), 2, 2)).rejects.toThrow(
      `Could not write ${missing}: the folder does not exist.`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
