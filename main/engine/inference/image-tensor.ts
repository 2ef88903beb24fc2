import sharp from 'sharp';
import { writeFileAtomic } from '../atomic-file';
import { decodeImage, readImageHeader } from '../datasets/image-io';
import { grayToRgb, toGray } from '../datasets/grayscale';
import { StudioError } from '../errors';

/** The part of a model's contract that says how its image tensors look. */
export interface TensorShape {
  height: number;
  width: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: number;
  /** `-1,1` or `0,1`: what 0 and 255 become. */
  valueRange: string;
}

/** An image as a model reads it, and what was done to make it fit. */
export interface ImageTensor {
  /** NCHW float32 of one image: `channels * height * width` values in the value range. */
  data: Float32Array;
  /** The file's size after EXIF orientation, before resizing. */
  sourceWidth: number;
  sourceHeight: number;
  /** What was done to fit the model: "resized from 640×480 to 128×128", … */
  notes: string[];
}

/** Parses a value range such as `-1,1` into its low and high ends; refuses anything else. */
export function parseValueRange(valueRange: string): { low: number; high: number } {
  const parts = valueRange.split(',').map((p) => Number(p.trim()));
  const [low, high] = parts;
  if (parts.length !== 2 || !Number.isFinite(low) || !Number.isFinite(high) || low! >= high!) {
    throw new StudioError(
      'bad-input',
      `The value range "${valueRange}" is not valid: expected "-1,1" or "0,1".`,
    );
  }
  return { low: low!, high: high! };
}

function checkShape(shape: TensorShape): void {
  const { height, width, channels } = shape;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new StudioError('bad-input', `A model image size of ${width}×${height} is not valid.`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new StudioError(
      'bad-input',
      `Models with ${channels} image channels are not supported (1 or 3 are).`,
    );
  }
}

function ratio(width: number, height: number): string {
  return (width / height).toFixed(2);
}

/** What resizing from the source size to the model size does, as notes for the person. */
export function resizeNotes(
  from: { width: number; height: number },
  to: { width: number; height: number },
): string[] {
  if (from.width === to.width && from.height === to.height) return [];
  const note = `resized from ${from.width}×${from.height} to ${to.width}×${to.height}`;
  const stretched = Math.abs(from.width / from.height - to.width / to.height) > 0.01 * (to.width / to.height);
  return [
    stretched
      ? `${note}; the aspect ratio changed from ${ratio(from.width, from.height)} to ${ratio(to.width, to.height)}, so the picture is stretched`
      : note,
  ];
}

function isGray(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  }
  return true;
}

/** Pixels in memory: `channels` 8-bit samples per pixel (1 gray, 3 RGB, 4 RGBA), row by row. */
export interface PixelBuffer {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

/** Checks that a pixel buffer holds exactly its size's bytes; `what` names it in the message. */
export function checkPixels(pixels: PixelBuffer, what: string): void {
  const expected = pixels.width * pixels.height * pixels.channels;
  if (pixels.data.length !== expected) {
    throw new StudioError(
      'bad-input',
      `${what} holds ${pixels.data.length} bytes, but ${pixels.width}×${pixels.height} pixels of ${pixels.channels} channels need ${expected}.`,
    );
  }
}

/** RGB of a pixel buffer: gray spread to three channels, alpha composited over white. */
export function pixelsToRgb(pixels: PixelBuffer): Uint8Array {
  const { data, channels } = pixels;
  if (channels === 3) return data;
  const count = pixels.width * pixels.height;
  const rgb = new Uint8Array(count * 3);
  if (channels === 1) {
    for (let p = 0, o = 0; p < count; p += 1, o += 3) rgb[o] = rgb[o + 1] = rgb[o + 2] = data[p]!;
    return rgb;
  }
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    const a = data[i + 3]!;
    if (a === 255) {
      rgb[o] = data[i]!;
      rgb[o + 1] = data[i + 1]!;
      rgb[o + 2] = data[i + 2]!;
      continue;
    }
    const alpha = a / 255;
    const white = 255 * (1 - alpha);
    for (let c = 0; c < 3; c += 1) rgb[o + c] = Math.round(data[i + c]! * alpha + white);
  }
  return rgb;
}

/**
 * An RGB picture (`width`×`height`) as a model's input: the whole picture resized to the model's
 * size (stretched when the aspect ratio differs, which a note says, naming `noteSize` where the
 * picture was already scaled from another size), converted to grayscale for one-channel models,
 * scaled to the value range, laid out NCHW. With `gray` (a gray→color model) a colour picture is
 * made gray in all three channels first, exactly as training derived its inputs, with a note.
 */
export async function rgbToTensor(
  rgb: Uint8Array,
  size: { width: number; height: number },
  shape: TensorShape,
  o: { gray?: boolean; noteSize?: { width: number; height: number } } = {},
): Promise<{ data: Float32Array; notes: string[] }> {
  checkShape(shape);
  const { low, high } = parseValueRange(shape.valueRange);
  const { height, width, channels } = shape;
  const notes = resizeNotes(o.noteSize ?? size, { width, height });
  const resized =
    size.width === width && size.height === height
      ? rgb
      : new Uint8Array(
          await sharp(rgb, { raw: { width: size.width, height: size.height, channels: 3 } })
            .resize(width, height, { fit: 'fill' })
            .raw()
            .toBuffer(),
        );
  const colorize = o.gray && channels === 3 && !isGray(resized);
  if (colorize)
    notes.push('made gray first, as this gray→color model was trained on gray versions of photos');
  const source = colorize ? grayToRgb(toGray(resized, width, height)) : resized;
  const plane = height * width;
  const data = new Float32Array(channels * plane);
  if (channels === 1) {
    if (!isGray(source)) notes.push('converted to grayscale');
    const gray = toGray(source, width, height);
    for (let p = 0; p < plane; p += 1) data[p] = low + gray[p]! * (high - low);
  } else {
    const value = byteValues(low, high);
    for (let c = 0; c < 3; c += 1) {
      const out = data.subarray(c * plane, (c + 1) * plane);
      for (let p = 0, i = c; p < plane; p += 1, i += 3) out[p] = value[source[i]!]!;
    }
  }
  return { data, notes };
}

/** What each byte 0…255 becomes in the value range `low`…`high`, as float32. */
function byteValues(low: number, high: number): Float32Array {
  const scale = (high - low) / 255;
  return Float32Array.from({ length: 256 }, (_, b) => low + b * scale);
}

/**
 * Reads an image file as a model's input: EXIF-rotated, alpha over white, then as `rgbToTensor`
 * makes any picture fit. Unreadable files throw an `ImageReadError` naming the file.
 */
export async function readImageTensor(
  path: string,
  shape: TensorShape,
  o: { gray?: boolean } = {},
): Promise<ImageTensor> {
  checkShape(shape);
  const decoded = await decodeImage(path, {
    maxSide: Math.max(1024, 4 * Math.max(shape.height, shape.width)),
  });
  const { data, notes } = await rgbToTensor(decoded.data, decoded, shape, {
    gray: o.gray,
    noteSize: { width: decoded.sourceWidth, height: decoded.sourceHeight },
  });
  return { data, sourceWidth: decoded.sourceWidth, sourceHeight: decoded.sourceHeight, notes };
}

/**
 * Colour hints for a hinted model, NCHW [R, G, B, mask] at the model's size: each opaque pixel of
 * the RGBA hint image (resized with nearest-neighbour sampling) is a hint of its colour, in the
 * model's value range.
 */
export async function hintTensor(
  hints: PixelBuffer,
  d: { height: number; width: number; valueRange: string },
): Promise<Float32Array> {
  const plane = d.height * d.width;
  const out = new Float32Array(4 * plane);
  const { low, high } = parseValueRange(d.valueRange);
  if (hints.channels !== 4) throw new StudioError('bad-input', 'Colour hints must be RGBA pixels.');
  const rgba =
    hints.width === d.width && hints.height === d.height
      ? hints.data
      : await sharp(hints.data, { raw: { width: hints.width, height: hints.height, channels: 4 } })
          .resize(d.width, d.height, { fit: 'fill', kernel: 'nearest' })
          .raw()
          .toBuffer();
  for (let p = 0; p < plane; p += 1) {
    if (rgba[p * 4 + 3]! <= 127) continue;
    for (let c = 0; c < 3; c += 1) out[c * plane + p] = low + (rgba[p * 4 + c]! / 255) * (high - low);
    out[3 * plane + p] = 1;
  }
  return out;
}

/** Colour hints read from an image file (see `hintTensor`); no file means no hints (all zeros). */
export async function readHintTensor(
  path: string | undefined,
  d: { height: number; width: number; valueRange: string },
): Promise<Float32Array> {
  if (!path) return new Float32Array(4 * d.height * d.width);
  let decoded: { data: Buffer; info: { width: number; height: number } };
  try {
    decoded = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new StudioError('bad-input', `Cannot read the colour hints ${path}: ${(error as Error).message}`);
  }
  const { width, height } = decoded.info;
  return hintTensor({ width, height, channels: 4, data: decoded.data }, d);
}

/**
 * Reads a mask for an image: grayscale, brighter than half = hole (1), else 0, resized to the
 * model's size with nearest-neighbour sampling so it stays binary. A mask whose size differs
 * from its image's is refused with a message naming both files and sizes.
 */
export async function readMaskTensor(
  maskPath: string,
  image: { path: string; width: number; height: number },
  size: { height: number; width: number },
): Promise<Float32Array> {
  const header = await readImageHeader(maskPath);
  if (header.width !== image.width || header.height !== image.height) {
    throw new StudioError(
      'bad-input',
      `The mask ${maskPath} is ${header.width}×${header.height} but its image ${image.path} is ${image.width}×${image.height}; a mask must have the same size as its image.`,
    );
  }
  const decoded = await decodeImage(maskPath);
  const gray = toGray(decoded.data, decoded.width, decoded.height);
  const binary = new Uint8Array(gray.length);
  for (let p = 0; p < gray.length; p += 1) binary[p] = gray[p]! > 0.5 ? 255 : 0;
  const resized =
    decoded.width === size.width && decoded.height === size.height
      ? binary
      : await sharp(binary, { raw: { width: decoded.width, height: decoded.height, channels: 1 } })
          .resize(size.width, size.height, { fit: 'fill', kernel: 'nearest' })
          .toColourspace('b-w')
          .raw()
          .toBuffer();
  const mask = new Float32Array(size.width * size.height);
  for (let p = 0; p < mask.length; p += 1) mask[p] = resized[p]! > 127 ? 1 : 0;
  return mask;
}

/**
 * The first image of an NCHW output tensor as 8-bit pixels (gray for one channel, RGB for
 * three), mapping the value range to 0–255 with clamping (NaN becomes 0).
 */
export function tensorToBytes(data: Float32Array, shape: TensorShape, what = 'make an image'): Uint8Array {
  checkShape(shape);
  const { low, high } = parseValueRange(shape.valueRange);
  const { height, width, channels } = shape;
  const plane = height * width;
  if (data.length < channels * plane) {
    throw new StudioError(
      'bad-input',
      `Cannot ${what}: the model output has ${data.length} values, fewer than a ${channels}×${height}×${width} image.`,
    );
  }
  const bytes = new Uint8Array(channels * plane);
  const scale = 255 / (high - low);
  for (let c = 0; c < channels; c += 1) {
    const values = data.subarray(c * plane, (c + 1) * plane);
    for (let p = 0, o = c; p < plane; p += 1, o += channels) {
      const v = (values[p]! - low) * scale;
      // Math.round of the clamped value; NaN fails both tests and truncates to 0.
      bytes[o] = v >= 255 ? 255 : v > 0 ? (v + 0.5) | 0 : 0;
    }
  }
  return bytes;
}

/**
 * Writes the first image of an NCHW output tensor as a PNG (see `tensorToBytes`). The file
 * appears complete or not at all.
 */
export async function writeImageTensor(path: string, data: Float32Array, shape: TensorShape): Promise<void> {
  const bytes = tensorToBytes(data, shape, `write ${path}`);
  const { height, width, channels } = shape;
  const raw = sharp(bytes, { raw: { width, height, channels: channels as 1 | 3 } });
  const png = await (channels === 1 ? raw.toColourspace('b-w') : raw).png().toBuffer();
  writeFileAtomic(path, [png]);
}
