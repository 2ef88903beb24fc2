import { describe, expect, it } from 'vitest';
import { fromFloatHWC, type RgbImage } from './image-io';
import {
  cropRgb,
  defaultLoadSize,
  ImageTooSmallError,
  preprocessPair,
  resizeRgb,
  splitAligned,
  type PreprocessOptions,
} from './preprocess';
import { SeededRandom } from './seeded-random';

/** Every pixel different: red encodes x, green encodes y. */
function pattern(width: number, height: number, invert = false): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const px = [x * 8, y * 8, 100];
      data.set(invert ? px.map((v) => 255 - v) : px, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

function solid(width: number, height: number, color: number[]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p += 1) data.set(color, p * 3);
  return { width, height, data };
}

const options = (overrides: Partial<PreprocessOptions> = {}): PreprocessOptions => ({
  preprocess: 'resize_and_crop',
  loadSize: 18,
  cropSize: 16,
  flip: true,
  direction: 'AtoB',
  ...overrides,
});

describe('splitAligned', () => {
  it('splits A|B into the left and right halves', () => {
    const image = pattern(8, 2);
    const { a, b } = splitAligned(image);
    expect([a!.width, a!.height, b.width, b.height]).toEqual([4, 2, 4, 2]);
    expect([...a!.data.subarray(0, 3)]).toEqual([0, 0, 100]);
    expect([...b.data.subarray(0, 3)]).toEqual([32, 0, 100]);
  });
});

describe('preprocessPair', () => {
  it('gives cropSize² Float32 samples in [-1, 1]', async () => {
    const sample = await preprocessPair(
      { a: solid(40, 30, [255, 0, 0]), b: solid(40, 30, [0, 0, 255]) },
      options(),
      SeededRandom.fromSeed(1),
    );
    expect(sample.a).toBeInstanceOf(Float32Array);
    expect(sample.a.length).toBe(16 * 16 * 3);
    expect(sample.b.length).toBe(16 * 16 * 3);
    expect([...sample.a.subarray(0, 3)]).toEqual([1, -1, -1]);
    expect([...sample.b.subarray(0, 3)]).toEqual([-1, -1, 1]);
  });

  it('crops and flips A and B the same way, flipping about half of the time', async () => {
    const a = pattern(24, 20);
    const b = pattern(24, 20, true);
    let flipped = 0;
    const offsets = new Set<string>();
    for (let seed = 0; seed < 16; seed += 1) {
      const sample = await preprocessPair(
        { a, b },
        options({ preprocess: 'none' }),
        SeededRandom.fromSeed(seed),
      );
      const [sa, sb] = [fromFloatHWC(sample.a), fromFloatHWC(sample.b)];
      expect([...sb]).toEqual([...sa].map((v) => 255 - v));
      const [x0, y0] = [sa[0]! / 8, sa[1]! / 8];
      const x1 = sa[3]! / 8;
      if (x1 < x0) flipped += 1;
      offsets.add(`${Math.min(x0, x1)},${y0}`);
    }
    expect(flipped).toBeGreaterThan(2);
    expect(flipped).toBeLessThan(14);
    expect(offsets.size).toBeGreaterThan(3);
  });

  it('is the same for the same generator state', async () => {
    const images = { a: pattern(30, 30), b: pattern(30, 30, true) };
    const first = await preprocessPair(images, options(), SeededRandom.fromSeed(9));
    const again = await preprocessPair(images, options(), SeededRandom.fromSeed(9));
    expect(again).toEqual(first);
  });

  it('resizes the whole picture for "resize" and centres without flipping when there is no generator', async () => {
    const a = pattern(32, 32);
    const resized = await preprocessPair({ a, b: a }, options({ preprocess: 'resize' }), null);
    const expected = await resizeRgb(a, 16, 16);
    expect([...fromFloatHWC(resized.a)]).toEqual([...expected.data]);
    const centred = await preprocessPair({ a, b: a }, options({ preprocess: 'none' }), null);
    expect([...fromFloatHWC(centred.a)]).toEqual([...cropRgb(a, 8, 8, 16, 16).data]);
  });

  it('swaps the sides for BtoA', async () => {
    const images = { a: solid(16, 16, [255, 255, 255]), b: solid(16, 16, [0, 0, 0]) };
    const sample = await preprocessPair(images, options({ direction: 'BtoA' }), SeededRandom.fromSeed(0));
    expect(sample.a.every((v) => v === -1)).toBe(true);
    expect(sample.b.every((v) => v === 1)).toBe(true);
  });

  it('derives A from the cropped photo when the pair has only B', async () => {
    const b = pattern(20, 20);
    const sample = await preprocessPair(
      { a: null, b },
      options({ preprocess: 'none', derive: 'gray2color' }),
      SeededRandom.fromSeed(4),
    );
    const [a8, b8] = [fromFloatHWC(sample.a), fromFloatHWC(sample.b)];
    for (let p = 0; p < 16 * 16; p += 1) {
      const luma = Math.round(0.299 * b8[p * 3]! + 0.587 * b8[p * 3 + 1]! + 0.114 * b8[p * 3 + 2]!);
      expect(a8[p * 3]).toBe(luma);
      expect(a8[p * 3 + 2]).toBe(luma);
    }
    await expect(preprocessPair({ a: null, b }, options(), null)).rejects.toThrow(/choose how to derive/);
  });

  it('refuses a picture smaller than the crop when nothing resizes it', async () => {
    const small = solid(12, 20, [1, 2, 3]);
    const failure = preprocessPair({ a: small, b: small }, options({ preprocess: 'none' }), null);
    await expect(failure).rejects.toBeInstanceOf(ImageTooSmallError);
    await expect(
      preprocessPair({ a: small, b: small }, options({ preprocess: 'none' }), null),
    ).rejects.toThrow('The image is 12×20, smaller than the 16×16 crop');
    const upscaled = await preprocessPair({ a: small, b: small }, options(), null);
    expect(upscaled.a.length).toBe(16 * 16 * 3);
  });

  it('refuses a load size below the crop size', async () => {
    const image = solid(16, 16, [0, 0, 0]);
    await expect(preprocessPair({ a: image, b: image }, options({ loadSize: 8 }), null)).rejects.toThrow(
      /load size \(8\) must be/,
    );
  });
});

describe('helpers', () => {
  it('uses the reference load size', () => {
    expect(defaultLoadSize(256)).toBe(286);
  });

  it('mirrors a crop', () => {
    const image = pattern(4, 1);
    expect([...cropRgb(image, 1, 0, 3, 1, true).data]).toEqual([24, 0, 100, 16, 0, 100, 8, 0, 100]);
    expect(() => cropRgb(image, 2, 0, 3, 1)).toThrow(RangeError);
  });
});

describe('the square centre crop (latent GAN)', () => {
  /** Three vertical bands: red | green | blue, the green one square in the middle. */
  function bands(width: number, height: number): RgbImage {
    const data = new Uint8Array(width * height * 3);
    const side = (width - height) / 2;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const band = x < side ? 0 : x < side + height ? 1 : 2;
        data[(y * width + x) * 3 + band] = 255;
      }
    }
    return { width, height, data };
  }

  it('keeps only the centred square of a wide image, resized, not squashed', async () => {
    const options: PreprocessOptions = {
      preprocess: 'square',
      loadSize: 8,
      cropSize: 8,
      flip: true,
      direction: 'AtoB',
      derive: 'inpaint',
    };
    const sample = await preprocessPair({ a: null, b: bands(48, 16) }, options, SeededRandom.fromSeed(3, 0));
    const rgb = fromFloatHWC(sample.b);
    for (let i = 0; i < 64; i += 1) {
      expect([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]]).toEqual([0, 255, 0]);
    }
    expect(Array.from(sample.a)).toEqual(Array.from(sample.b));
  });
});
