import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { decodeImage, writePng } from '../datasets/image-io';
import { StudioError } from '../errors';
import {
  compositeFill,
  contextRegion,
  cropPixels,
  featherAlpha,
  holeBounds,
  maskFromPixels,
  type Rect,
} from './hole-region';
import { parseValueRange } from './image-tensor';
import type { FillJob, FillOutcome } from './model-jobs';
import type { LoadedModel, SessionCache } from './session-cache';

/** The longest image side the canvas fills at full resolution. */
export const MAX_FILL_SIDE = 8192;

/** Share of the image above which a mask leaves the model nothing to go by. */
const FULL_MASK = 0.995;

async function resizeRaw(
  pixels: Uint8Array,
  from: { width: number; height: number },
  channels: 1 | 3,
  to: { width: number; height: number },
  kernel: 'nearest' | 'lanczos3',
): Promise<Uint8Array> {
  if (from.width === to.width && from.height === to.height) return pixels;
  const data = await sharp(pixels, { raw: { width: from.width, height: from.height, channels } })
    .resize(to.width, to.height, { fit: 'fill', kernel })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Reads the mask file as hole (1) or not, refusing a mask of another size than the image. */
async function readHoleMask(job: FillJob, width: number, height: number): Promise<Uint8Array> {
  const raw = await sharp(job.mask).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (raw.info.width !== width || raw.info.height !== height) {
    throw new StudioError(
      'bad-input',
      `The mask is ${raw.info.width}×${raw.info.height} but the image ${basename(job.image)} is ${width}×${height}; a mask must have its image's size.`,
    );
  }
  return maskFromPixels(new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), 4);
}

/** The model's input tensors for a region: the image scaled to its range, the mask 0/1, both NCHW. */
function feedsFor(
  model: LoadedModel,
  rgb: Uint8Array,
  mask: Uint8Array,
  size: { width: number; height: number },
): Record<string, ort.Tensor> {
  const d = model.description;
  const { low, high } = parseValueRange(d.valueRange);
  const plane = size.width * size.height;
  const image = new Float32Array(plane * 3);
  const hole = new Float32Array(plane);
  for (let p = 0; p < plane; p += 1) {
    hole[p] = mask[p]! > 127 ? 1 : 0;
    for (let c = 0; c < 3; c += 1) image[c * plane + p] = low + (rgb[p * 3 + c]! / 255) * (high - low);
  }
  return {
    [d.imageInput]: new ort.Tensor('float32', image, [1, 3, size.height, size.width]),
    [d.maskInput!]: new ort.Tensor('float32', hole, [1, 1, size.height, size.width]),
  };
}

function toRgb(data: Float32Array, valueRange: string, width: number, height: number): Uint8Array {
  const { low, high } = parseValueRange(valueRange);
  const plane = width * height;
  const rgb = new Uint8Array(plane * 3);
  for (let p = 0; p < plane; p += 1)
    for (let c = 0; c < 3; c += 1) {
      const v = ((data[c * plane + p]! - low) / (high - low)) * 255;
      rgb[p * 3 + c] = Number.isNaN(v) ? 0 : Math.round(Math.min(255, Math.max(0, v)));
    }
  return rgb;
}

/**
 * Fills the hole a mask paints on an image with an inpainting model. The model sees the region
 * around the hole (see `contextRegion`), scaled to its size when the region is larger; its
 * output is scaled back and put into the image only inside the hole, with an inward feather.
 * Everything outside the hole keeps its exact pixels. An empty mask, a mask covering the whole
 * image, or one of another size is refused with the reason.
 */
export async function fillHole(job: FillJob, cache: SessionCache): Promise<FillOutcome> {
  const started = performance.now();
  const model = await cache.get(job.model);
  const d = model.description;
  if (!d.maskInput) {
    throw new StudioError(
      'bad-input',
      `${basename(job.model)} takes no mask, so it cannot fill holes; pick an inpainting model.`,
    );
  }
  if (d.inChannels !== 3 || d.outChannels !== 3) {
    throw new StudioError(
      'bad-input',
      `${basename(job.model)} maps ${d.inChannels} to ${d.outChannels} channels; hole filling needs colour in and out (3 → 3).`,
    );
  }
  const image = await decodeImage(job.image, { maxSide: MAX_FILL_SIDE });
  if (image.downscaled) {
    throw new StudioError(
      'bad-input',
      `${basename(job.image)} is ${image.sourceWidth}×${image.sourceHeight}; the canvas fills images up to ${MAX_FILL_SIDE} px on their longest side.`,
    );
  }
  const { width, height } = image;
  const mask = await readHoleMask(job, width, height);
  const bounds = holeBounds(mask, width);
  if (!bounds)
    throw new StudioError('bad-input', 'The mask is empty: paint over what should be filled first.');
  const holeFraction = bounds.pixels / (width * height);
  if (holeFraction >= FULL_MASK) {
    throw new StudioError(
      'bad-input',
      'The mask covers the whole image: leave part of the picture unpainted, the model fills the hole from what surrounds it.',
    );
  }
  const size = { width: d.width, height: d.height };
  const region: Rect = contextRegion(bounds, width, height, Math.max(size.width, size.height));
  const notes: string[] = [];
  if (region.width !== size.width || region.height !== size.height) {
    notes.push(
      region.width > size.width || region.height > size.height
        ? `the ${region.width}×${region.height} region around the hole was scaled to the model's ${size.width}×${size.height} and back, so the fill is softer than the image`
        : `the ${region.width}×${region.height} region around the hole was scaled up to the model's ${size.width}×${size.height} and back`,
    );
  }
  const regionRgb = await resizeRaw(cropPixels(image.data, width, 3, region), region, 3, size, 'lanczos3');
  const regionMask = await resizeRaw(
    cropPixels(
      mask.map((v) => v * 255),
      width,
      1,
      region,
    ),
    region,
    1,
    size,
    'nearest',
  );
  const modelStart = performance.now();
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    outputs = await model.session.run(feedsFor(model, regionRgb, regionMask, size));
  } catch (error) {
    throw new StudioError('internal', `ONNX Runtime failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const modelMs = performance.now() - modelStart;
  let generated: Uint8Array;
  try {
    const result = outputs[d.output];
    if (!result || !(result.data instanceof Float32Array))
      throw new StudioError('bad-input', `${basename(job.model)} gave no float32 output "${d.output}".`);
    generated = toRgb(result.data, d.valueRange, size.width, size.height);
  } finally {
    for (const value of Object.values(outputs)) value.dispose();
  }
  const fill = await resizeRaw(generated, size, 3, region, 'lanczos3');
  const alpha = featherAlpha(mask, width, height, job.feather ?? 0);
  await writePng(job.out, compositeFill(image.data, width, fill, region, alpha), width, height);
  return {
    output: job.out,
    width,
    height,
    modelMs,
    totalMs: performance.now() - started,
    provider: model.provider,
    holeFraction,
    notes,
  };
}
