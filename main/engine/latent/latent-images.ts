import { basename } from 'node:path';
import sharp from 'sharp';
import { decodeImage, fromFloatHWC, PNG_DATA_URL, rgbPngDataUrl, toFloatHWC } from '../datasets/image-io';
import { centreSquare } from '../datasets/preprocess';
import { StudioError } from '../errors';

/** Images NHWC in [-1, 1] (`count` of `size`×`size`) as PNG data URLs. */
export function pngDataUrls(data: Float32Array, count: number, size: number): Promise<string[]> {
  const plane = size * size * 3;
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      rgbPngDataUrl({
        data: fromFloatHWC(data.subarray(i * plane, (i + 1) * plane)),
        width: size,
        height: size,
      }),
    ),
  );
}

/** Images NCHW (ONNX Runtime's layout) as NHWC, the layout the rest of the editor uses. */
export function nchwToNhwc(data: Float32Array, count: number, channels: number, size: number): Float32Array {
  const out = new Float32Array(data.length);
  const plane = size * size;
  for (let n = 0; n < count; n += 1) {
    for (let c = 0; c < channels; c += 1) {
      for (let p = 0; p < plane; p += 1) {
        out[(n * plane + p) * channels + c] = data[(n * channels + c) * plane + p] ?? 0;
      }
    }
  }
  return out;
}

/**
 * An image file as the latent model sees it: the centre square resized to `size` exactly as the
 * trainer crops it (`centreSquare`), NHWC in [-1, 1]. A note says what was cropped.
 */
export async function readCentreSquare(
  path: string,
  size: number,
): Promise<{ pixels: Float32Array; notes: string[] }> {
  const image = await decodeImage(path);
  const side = Math.min(image.width, image.height);
  const notes =
    image.width === image.height
      ? []
      : [
          `${basename(path)} is ${image.width}×${image.height}; the model sees its centre ${side}×${side} square at ${size}×${size}.`,
        ];
  const pixels = toFloatHWC((await centreSquare(image, size)).data);
  return { pixels, notes };
}

/** A painted constraint layer at the model's size: colours NHWC in [-1, 1] and a weight per pixel (its coverage). */
export interface ConstraintLayer {
  rgb: Float32Array;
  weight: Float32Array;
}

/**
 * Reads a painted constraint layer (a square PNG data URL over the image; opaque pixels are the
 * constraint) and scales it to the model's size: a pixel's weight is how much of it was painted.
 * A layer that is not square, or has nothing painted, is refused with what is wrong.
 */
export async function readConstraintLayer(
  dataUrl: string,
  size: number,
  what: string,
): Promise<ConstraintLayer> {
  if (!dataUrl.startsWith(PNG_DATA_URL))
    throw new StudioError('bad-input', `The ${what} must be a PNG data URL.`);
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL.length), 'base64');
  let meta;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw new StudioError('bad-input', `The ${what} is not a readable PNG.`);
  }
  if (!meta.width || !meta.height || meta.width !== meta.height) {
    throw new StudioError(
      'bad-input',
      `The ${what} is ${meta.width}×${meta.height}; it must be square, covering the generated image exactly.`,
    );
  }
  const raw = await sharp(bytes).ensureAlpha().resize(size, size, { kernel: 'cubic' }).raw().toBuffer();
  const rgb = new Float32Array(size * size * 3);
  const weight = new Float32Array(size * size);
  for (let p = 0; p < size * size; p += 1) {
    const alpha = (raw[p * 4 + 3] ?? 0) / 255;
    weight[p] = alpha < 0.05 ? 0 : Math.min(1, alpha);
    for (let c = 0; c < 3; c += 1) rgb[p * 3 + c] = (raw[p * 4 + c] ?? 0) / 127.5 - 1;
  }
  if (!weight.some((w) => w > 0)) {
    throw new StudioError('bad-input', `The ${what} has nothing painted inside the image.`);
  }
  return { rgb, weight };
}
