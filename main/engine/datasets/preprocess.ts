import sharp from 'sharp';
import { StudioError } from '../errors';
import { derivePair, type DerivedKind } from './derive-pairs';
import { toFloatHWC, type RgbImage } from './image-io';
import type { SeededRandom } from './seeded-random';

/**
 * The reference implementation's `--preprocess` choices that keep A and B square, and `square`:
 * the centred square of the picture resized to the crop (the latent GAN, whose images come in
 * mixed sizes and aspect ratios and must not be squashed).
 */
export type PreprocessMode = 'resize_and_crop' | 'resize' | 'none' | 'square';

/** Which side is the generator's input. */
export type Direction = 'AtoB' | 'BtoA';

/** How a pair becomes a training sample. */
export interface PreprocessOptions {
  /**
   * `resize_and_crop`: resize to `loadSize`, then crop `cropSize`; `resize`: resize to `cropSize`;
   * `none`: crop only (a B of another size than A is first resized to A's size).
   */
  preprocess: PreprocessMode;
  /** The square size before cropping, for `resize_and_crop`. */
  loadSize: number;
  /** The square size of every sample. */
  cropSize: number;
  /** Flip half of the samples horizontally (A and B together). */
  flip: boolean;
  direction: Direction;
  /** How to make A when the pair has only a photo (`single` datasets). */
  derive?: DerivedKind;
}

/** Two decoded sides; `a` is null when it is derived from `b`. */
export interface PairImages {
  a: RgbImage | null;
  b: RgbImage;
}

/** One sample as the trainer consumes it: Float32 HWC in [-1, 1], `cropSize`² each, in `direction` order. */
export interface Sample {
  a: Float32Array;
  b: Float32Array;
}

/** The random choices for one sample, shared by its A and B. */
export interface AugmentParams {
  x: number;
  y: number;
  flip: boolean;
}

/** A picture smaller than the crop under a preprocess mode that does not resize. */
export class ImageTooSmallError extends StudioError {
  constructor(message: string) {
    super('invalid-payload', message);
  }
}

/** The reference's load size for a crop (286 for 256). */
export function defaultLoadSize(cropSize: number): number {
  return Math.round((cropSize * 286) / 256);
}

/** Splits an A|B image into its left (A) and right (B) halves; an odd last column is dropped. */
export function splitAligned(image: RgbImage): PairImages {
  const half = Math.floor(image.width / 2);
  if (half < 1)
    throw new StudioError('invalid-payload', `An aligned image ${image.width} px wide has no halves.`);
  return { a: cropRgb(image, 0, 0, half, image.height), b: cropRgb(image, half, 0, half, image.height) };
}

/**
 * Resizes, crops and flips A and B identically, derives A when needed, and returns the pair in
 * `direction` order. With `rng` null nothing is random: the crop is centred and there is no flip.
 */
export async function preprocessPair(
  images: PairImages,
  options: PreprocessOptions,
  rng: SeededRandom | null,
): Promise<Sample> {
  const { preprocess, cropSize } = options;
  assertSizes(options);
  if (preprocess === 'square') return squarePair(images, options, rng);
  const { b } = images;
  const reference = images.a ?? b;
  const [width, height] =
    preprocess === 'resize_and_crop'
      ? [options.loadSize, options.loadSize]
      : preprocess === 'resize'
        ? [cropSize, cropSize]
        : [reference.width, reference.height];
  if (width < cropSize || height < cropSize) {
    throw new ImageTooSmallError(
      `The image is ${width}×${height}, smaller than the ${cropSize}×${cropSize} crop (preprocess "none" does not resize).`,
    );
  }
  const params = rng
    ? drawParams(width, height, cropSize, options.flip, rng)
    : centreParams(width, height, cropSize);
  const [aSized, bSized] = await Promise.all([
    images.a ? resizeRgb(images.a, width, height) : null,
    resizeRgb(b, width, height),
  ]);
  const bCrop = cropRgb(bSized, params.x, params.y, cropSize, cropSize, params.flip);
  const aCrop = aSized
    ? cropRgb(aSized, params.x, params.y, cropSize, cropSize, params.flip).data
    : derivePair(requireDerive(options), bCrop.data, cropSize, cropSize);
  const a = toFloatHWC(aCrop);
  const bFloat = toFloatHWC(bCrop.data);
  return options.direction === 'BtoA' ? { a: bFloat, b: a } : { a, b: bFloat };
}

/** How fixed (validation) samples are made: resized whole, except that `square` keeps its centre crop. */
export function fixedPreprocess(mode: PreprocessMode): PreprocessMode {
  return mode === 'square' ? 'square' : 'resize';
}

/** The centred square of an image, resized to `size`² (bicubic). */
export async function centreSquare(image: RgbImage, size: number): Promise<RgbImage> {
  const side = Math.min(image.width, image.height);
  const square = cropRgb(
    image,
    Math.floor((image.width - side) / 2),
    Math.floor((image.height - side) / 2),
    side,
    side,
  );
  return resizeRgb(square, size, size);
}

/** `preprocessPair` for `square`: each side's centred square at the crop size, flipped together. */
async function squarePair(
  images: PairImages,
  options: PreprocessOptions,
  rng: SeededRandom | null,
): Promise<Sample> {
  const { cropSize } = options;
  const flip = rng !== null && options.flip && rng.chance(0.5);
  const [aSquare, bSquare] = await Promise.all([
    images.a ? centreSquare(images.a, cropSize) : null,
    centreSquare(images.b, cropSize),
  ]);
  const bCrop = cropRgb(bSquare, 0, 0, cropSize, cropSize, flip);
  const aCrop = aSquare
    ? cropRgb(aSquare, 0, 0, cropSize, cropSize, flip).data
    : derivePair(requireDerive(options), bCrop.data, cropSize, cropSize);
  const a = toFloatHWC(aCrop);
  const b = toFloatHWC(bCrop.data);
  return options.direction === 'BtoA' ? { a: b, b: a } : { a, b };
}

/** Random crop offset and flip for a `width`×`height` picture, drawn in a fixed order. */
export function drawParams(
  width: number,
  height: number,
  cropSize: number,
  flip: boolean,
  rng: SeededRandom,
): AugmentParams {
  const x = rng.int(width - cropSize + 1);
  const y = rng.int(height - cropSize + 1);
  return { x, y, flip: flip && rng.chance(0.5) };
}

/** Resizes to exactly `width`×`height` (bicubic, like the reference); returns the input when it already fits. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return { width, height, data };
}

/** A `width`×`height` window of an image at (`x`, `y`), mirrored left–right when `flip`. */
export function cropRgb(
  image: RgbImage,
  x: number,
  y: number,
  width: number,
  height: number,
  flip = false,
): RgbImage {
  if (x < 0 || y < 0 || x + width > image.width || y + height > image.height) {
    throw new RangeError(
      `crop ${width}×${height}+${x}+${y} is outside a ${image.width}×${image.height} image`,
    );
  }
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row += 1) {
    const src = ((y + row) * image.width + x) * 3;
    const dst = row * width * 3;
    if (!flip) {
      data.set(image.data.subarray(src, src + width * 3), dst);
      continue;
    }
    for (let col = 0; col < width; col += 1) {
      const from = src + (width - 1 - col) * 3;
      const to = dst + col * 3;
      data[to] = image.data[from]!;
      data[to + 1] = image.data[from + 1]!;
      data[to + 2] = image.data[from + 2]!;
    }
  }
  return { width, height, data };
}

function centreParams(width: number, height: number, cropSize: number): AugmentParams {
  return { x: Math.floor((width - cropSize) / 2), y: Math.floor((height - cropSize) / 2), flip: false };
}

function requireDerive(options: PreprocessOptions): DerivedKind {
  if (!options.derive) {
    throw new StudioError(
      'invalid-payload',
      'This pair has only a photo: choose how to derive its input (gray2color or edges2photo).',
    );
  }
  return options.derive;
}

/** Throws a clear error unless the crop size is a positive integer and the load size is at least the crop. */
export function assertSizes({
  preprocess,
  loadSize,
  cropSize,
}: Pick<PreprocessOptions, 'preprocess' | 'loadSize' | 'cropSize'>): void {
  if (!Number.isInteger(cropSize) || cropSize < 1) {
    throw new StudioError(
      'invalid-payload',
      `The crop size must be a positive whole number, got ${cropSize}.`,
    );
  }
  if (preprocess === 'resize_and_crop' && (!Number.isInteger(loadSize) || loadSize < cropSize)) {
    throw new StudioError(
      'invalid-payload',
      `The load size (${loadSize}) must be a whole number at least as large as the crop size (${cropSize}).`,
    );
  }
}
