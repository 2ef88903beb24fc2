import sharp from 'sharp';
import { writeFileAtomic } from '../atomic-file';
import { StudioError, type ErrorCode } from '../errors';

/** An 8-bit sRGB image: `width * height * 3` bytes, row by row, R G B. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A decoded file, with its size before any shrinking on load. */
export interface DecodedImage extends RgbImage {
  /** Width of the file's picture after EXIF orientation, before shrinking. */
  sourceWidth: number;
  /** Height of the file's picture after EXIF orientation, before shrinking. */
  sourceHeight: number;
  /** Whether the picture was shrunk to fit `maxSide`. */
  downscaled: boolean;
}

/** Options for `decodeImage`. */
export interface DecodeOptions {
  /** Longest side kept in memory; larger pictures are shrunk while they are read. */
  maxSide?: number;
}

/** What `readImageHeader` learns without decoding pixels. */
export interface ImageHeader {
  /** Width after EXIF orientation. */
  width: number;
  /** Height after EXIF orientation. */
  height: number;
  /** The container format sharp detected (`png`, `jpeg`, `webp`, …). */
  format: string;
  /** Whether the file stores one gray channel (two with alpha) rather than colour. */
  grayscale: boolean;
}

/** The longest side `decodeImage` keeps unless told otherwise. */
export const DEFAULT_MAX_SIDE = 4096;

/** Pictures with more pixels than this are refused (sharp's default limit is about 16383²). */
export const MAX_INPUT_PIXELS = 2 ** 30;

/** Why a file could not be read as an image. */
export type ImageFailure = 'not-found' | 'unreadable' | 'not-an-image' | 'corrupt' | 'too-large';

/** A file that could not be read as an image; the message names the file and the reason. */
export class ImageReadError extends StudioError {
  constructor(
    readonly path: string,
    readonly failure: ImageFailure,
    /** The reason without the path, for messages that name the file their own way. */
    readonly reason: string,
  ) {
    super(ERROR_CODES[failure], `Cannot read ${path}: ${reason}.`);
  }
}

const ERROR_CODES: Record<ImageFailure, ErrorCode> = {
  'not-found': 'not-found',
  unreadable: 'io',
  'not-an-image': 'unsupported',
  corrupt: 'io',
  'too-large': 'unsupported',
};

const WHITE = { r: 255, g: 255, b: 255 };

/** Reads only the file's header: its oriented size and format. */
export async function readImageHeader(path: string): Promise<ImageHeader> {
  let meta: sharp.Metadata;
  try {
    meta = await openImage(path).metadata();
  } catch (error) {
    throw describeReadError(path, error);
  }
  if (!meta.width || !meta.height || !meta.format) {
    throw new ImageReadError(path, 'corrupt', 'its header has no picture size');
  }
  const size = meta.autoOrient ?? { width: meta.width, height: meta.height };
  if (size.width * size.height > MAX_INPUT_PIXELS) throw tooLarge(path, size.width, size.height);
  return {
    width: size.width,
    height: size.height,
    format: meta.format,
    grayscale: meta.channels !== undefined && meta.channels <= 2,
  };
}

/**
 * Decodes a file to 8-bit sRGB RGB: EXIF orientation applied; grayscale, CMYK and 16-bit converted;
 * transparency composited over white. Pictures longer than `maxSide` are shrunk while they are read,
 * so even 20000×20000 files never hold full-size pixels in memory.
 */
export async function decodeImage(path: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  const maxSide = options.maxSide ?? DEFAULT_MAX_SIDE;
  if (!Number.isInteger(maxSide) || maxSide < 1) {
    throw new StudioError('invalid-payload', `maxSide must be a positive integer, got ${maxSide}.`);
  }
  const header = await readImageHeader(path);
  const downscaled = Math.max(header.width, header.height) > maxSide;
  let pipeline = openImage(path).rotate();
  if (downscaled) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside' });
  try {
    const { data, info } = await pipeline
      .flatten({ background: WHITE })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new ImageReadError(path, 'corrupt', `it decoded to ${info.channels} channels instead of 3`);
    }
    return {
      width: info.width,
      height: info.height,
      data,
      sourceWidth: header.width,
      sourceHeight: header.height,
      downscaled,
    };
  } catch (error) {
    throw error instanceof ImageReadError ? error : describeReadError(path, error);
  }
}

/** Pixels as the trainer consumes them: Float32 HWC in [-1, 1]. */
export function toFloatHWC(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 1) out[i] = rgb[i]! / 127.5 - 1;
  return out;
}

/** Float HWC in [-1, 1] back to 8-bit; values outside the range are clamped, NaN becomes 0. */
export function fromFloatHWC(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i]!;
    out[i] = Number.isNaN(v) ? 0 : Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
  }
  return out;
}

/**
 * Writes an RGB image as PNG so that readers never see a partial file: it goes to a temporary file
 * in the same folder, is flushed to disk, then renamed over `path`.
 */
export async function writePng(path: string, rgb: Uint8Array, width: number, height: number): Promise<void> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new StudioError('invalid-payload', `Cannot write ${path}: size ${width}×${height} is not valid.`);
  }
  if (rgb.length !== width * height * 3) {
    throw new StudioError(
      'invalid-payload',
      `Cannot write ${path}: ${rgb.length} bytes do not make a ${width}×${height} RGB image.`,
    );
  }
  const png = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  writeFileAtomic(path, [png]);
}

function openImage(path: string): sharp.Sharp {
  return sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' });
}

function tooLarge(path: string, width: number, height: number): ImageReadError {
  return new ImageReadError(
    path,
    'too-large',
    `it is ${width}×${height} pixels, more than the ${MAX_INPUT_PIXELS.toLocaleString('en')} GAN Studio can read`,
  );
}

function describeReadError(path: string, error: unknown): ImageReadError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (code === 'ENOENT' || /Input file is missing/i.test(message)) {
    return new ImageReadError(path, 'not-found', 'the file does not exist');
  }
  if (code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(message)) {
    return new ImageReadError(path, 'unreadable', 'no permission to read it');
  }
  if (code === 'EISDIR' || /is a directory/i.test(message)) {
    return new ImageReadError(path, 'unreadable', 'it is a folder, not an image file');
  }
  if (/unsupported image format/i.test(message)) {
    return new ImageReadError(
      path,
      'not-an-image',
      'it is not an image GAN Studio can read (PNG, JPEG, WebP, GIF, TIFF or AVIF)',
    );
  }
  if (/pixel limit/i.test(message)) {
    return new ImageReadError(path, 'too-large', 'it has more pixels than GAN Studio can read');
  }
  return new ImageReadError(path, 'corrupt', `the file is damaged or truncated (${message})`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.trim();
}

/** The prefix of a PNG data URL. */
export const PNG_DATA_URL = 'data:image/png;base64,';

/** An RGB image as a PNG data URL (previews and generated images sent to the renderer). */
export async function rgbPngDataUrl(image: RgbImage): Promise<string> {
  const png = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png()
    .toBuffer();
  return PNG_DATA_URL + png.toString('base64');
}
