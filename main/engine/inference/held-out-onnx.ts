import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { imageMetrics } from '../../../models/image-metrics';
import { StudioError } from '../errors';
import { HINT_CHANNELS } from '../../../models/color-hints';
import { heldOutHints, type HeldOutMetrics, type HintedHeldOutMetrics } from '../training/held-out';
import { refuseLatent } from './describe-model';
import { parseValueRange } from './image-tensor';
import type { LoadedModel } from './session-cache';

/** A held-out pair as the loaders give it: HWC RGB in [-1, 1], the model's size. */
export interface HwcPair {
  a: Float32Array;
  b: Float32Array;
}

/** HWC RGB in [-1, 1] as one channel (BT.601 luma) or three, still HWC in [-1, 1]. */
export function hwcChannels(rgb: Float32Array, channels: number): Float32Array {
  if (channels === 3) return rgb;
  const gray = new Float32Array(rgb.length / 3);
  for (let p = 0; p < gray.length; p += 1) {
    gray[p] = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!;
  }
  return gray;
}

/** HWC in [-1, 1] with `channels` to NCHW in `valueRange`, as a model reads it. */
export function hwcToNchw(hwc: Float32Array, channels: number, valueRange: string): Float32Array {
  const { low, high } = parseValueRange(valueRange);
  const plane = hwc.length / channels;
  const out = new Float32Array(hwc.length);
  for (let p = 0; p < plane; p += 1) {
    for (let c = 0; c < channels; c += 1) {
      out[c * plane + p] = low + ((hwc[p * channels + c]! + 1) / 2) * (high - low);
    }
  }
  return out;
}

/** NCHW in `valueRange` to HWC in [-1, 1]: the inverse of `hwcToNchw`. */
export function nchwToHwc(nchw: Float32Array, channels: number, valueRange: string): Float32Array {
  const { low, high } = parseValueRange(valueRange);
  const plane = nchw.length / channels;
  const out = new Float32Array(nchw.length);
  for (let p = 0; p < plane; p += 1) {
    for (let c = 0; c < channels; c += 1) {
      out[p * channels + c] = ((nchw[c * plane + p]! - low) / (high - low)) * 2 - 1;
    }
  }
  return out;
}

/** A hint map (HWC: RGB in [-1, 1] and a 0/1 mask) as a hinted model reads it: NCHW, RGB in its value range. */
function hintFeed(hints: Float32Array, valueRange: string): Float32Array {
  const { low, high } = parseValueRange(valueRange);
  const plane = hints.length / HINT_CHANNELS;
  const out = new Float32Array(hints.length);
  for (let p = 0; p < plane; p += 1) {
    const mask = hints[p * HINT_CHANNELS + 3]!;
    for (let c = 0; c < 3; c += 1)
      out[c * plane + p] = mask ? low + ((hints[p * HINT_CHANNELS + c]! + 1) / 2) * (high - low) : 0;
    out[3 * plane + p] = mask;
  }
  return out;
}

/**
 * L1, PSNR and SSIM of an ONNX model on held-out pairs, averaged, beside the copy-the-input L1,
 * as `heldOutMetrics` measures a checkpoint. The input goes in with the model's channels and
 * value range; output and target are compared with the model's output channels. A hinted model
 * runs without hints, or with each pair's seeded simulated hints (`heldOutHints`) when
 * `seededHints` is set.
 */
export async function onnxHeldOutMetrics(
  model: LoadedModel,
  pairs: HwcPair[],
  o: { seededHints?: boolean } = {},
): Promise<HeldOutMetrics> {
  const d = model.description;
  refuseLatent(model.path, d);
  if (d.maskInput) {
    throw new StudioError(
      'unsupported',
      `${model.path} is an inpainting model; eval measures image-to-image models on pairs, without masks.`,
    );
  }
  const sums = { l1: 0, psnr: 0, ssim: 0, baselineL1: 0 };
  for (const [index, pair] of pairs.entries()) {
    const input = hwcToNchw(hwcChannels(pair.a, d.inChannels), d.inChannels, d.valueRange);
    const feeds = { [d.imageInput]: new ort.Tensor('float32', input, [1, d.inChannels, d.height, d.width]) };
    if (d.hintInput) {
      const hints = o.seededHints
        ? hintFeed(heldOutHints(pair.b, d.height, index), d.valueRange)
        : new Float32Array(HINT_CHANNELS * d.height * d.width);
      feeds[d.hintInput] = new ort.Tensor('float32', hints, [1, HINT_CHANNELS, d.height, d.width]);
    }
    const outputs = await model.session.run(feeds);
    const result = outputs[d.output];
    const data = result?.data;
    if (!(data instanceof Float32Array)) {
      throw new StudioError('bad-input', `${model.path} gave no float32 output "${d.output}".`);
    }
    const output = nchwToHwc(data, d.outChannels, d.valueRange);
    for (const value of Object.values(outputs)) value.dispose();
    const shape: [number, number, number, number] = [1, d.height, d.width, d.outChannels];
    tf.tidy(() => {
      const target = tf.tensor4d(hwcChannels(pair.b, d.outChannels), shape);
      const m = imageMetrics(tf.tensor4d(output, shape), target);
      sums.l1 += m.l1;
      sums.psnr += m.psnr;
      sums.ssim += m.ssim;
      sums.baselineL1 += imageMetrics(tf.tensor4d(hwcChannels(pair.a, d.outChannels), shape), target).l1;
    });
  }
  const n = Math.max(1, pairs.length);
  return { l1: sums.l1 / n, psnr: sums.psnr / n, ssim: sums.ssim / n, baselineL1: sums.baselineL1 / n };
}

/**
 * A hinted ONNX model's held-out figures without hints and with the seeded simulated hints, as
 * `hintedHeldOutMetrics` measures a checkpoint.
 */
export async function onnxHintedHeldOutMetrics(
  model: LoadedModel,
  pairs: HwcPair[],
): Promise<HintedHeldOutMetrics> {
  const none = await onnxHeldOutMetrics(model, pairs);
  const hinted = await onnxHeldOutMetrics(model, pairs, { seededHints: true });
  return { ...none, withHints: { l1: hinted.l1, psnr: hinted.psnr, ssim: hinted.ssim } };
}
