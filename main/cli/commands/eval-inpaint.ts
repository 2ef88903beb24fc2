import * as ort from 'onnxruntime-node';
import { DEFAULT_MASK_DESIGN, maskDesignError, type MaskDesign } from '../../../models/masks';
import { StudioError } from '../../engine/errors';
import { hwcToNchw, nchwToHwc } from '../../engine/inference/held-out-onnx';
import type { LoadedModel } from '../../engine/inference/session-cache';
import { compareHoles, HELD_OUT_MASK_SEED, type ArrayFill } from '../../engine/training/inpaint-eval';
import type { Output } from '../output';

/** Where the images came from and what scored them (`checkpoint` or `model`, …), for the result. */
export type InpaintEvalSource = Record<string, unknown> & { split: string };

/**
 * Scores a fill inside seeded held-out holes (the mask generator with `design`, the same seed
 * training's per-epoch figures use) beside the border-mean baseline, and prints both.
 */
export async function reportInpaintEval(
  images: Float32Array[],
  size: number,
  design: MaskDesign,
  fill: ArrayFill,
  source: InpaintEvalSource,
  out: Output,
): Promise<void> {
  if (images.length === 0) throw new StudioError('bad-input', `No ${source.split} images to evaluate on.`);
  const m = await compareHoles(images, size, design, HELD_OUT_MASK_SEED, fill);
  const result = {
    ...source,
    images: m.images,
    maskSeed: HELD_OUT_MASK_SEED,
    l1: m.model.l1,
    psnr: m.model.psnr,
    ssim: m.model.ssim,
    baselineL1: m.baseline.l1,
    baselinePsnr: m.baseline.psnr,
    baselineSsim: m.baseline.ssim,
  };
  out.result(
    result,
    `${m.images} ${source.split} images, inside seeded holes: L1 ${m.model.l1.toFixed(4)} (border-mean fill ${m.baseline.l1.toFixed(4)}), PSNR ${m.model.psnr.toFixed(2)} dB (${m.baseline.psnr.toFixed(2)}), SSIM ${m.model.ssim.toFixed(4)} (${m.baseline.ssim.toFixed(4)})`,
  );
}

/** The mask design an exported inpainting model was trained with (its metadata), else the default. */
export function exportedMaskDesign(model: LoadedModel): MaskDesign {
  const text = model.description.metadata.mask_design;
  if (!text) return DEFAULT_MASK_DESIGN;
  try {
    const design = { ...DEFAULT_MASK_DESIGN, ...(JSON.parse(text) as Partial<MaskDesign>) };
    return maskDesignError(design) ? DEFAULT_MASK_DESIGN : design;
  } catch {
    return DEFAULT_MASK_DESIGN;
  }
}

/** An ONNX inpainting model as an `ArrayFill`: the model's output inside the hole, the image outside. */
export function onnxFill(model: LoadedModel): ArrayFill {
  const d = model.description;
  return async (image, mask) => {
    const feeds = {
      [d.imageInput]: new ort.Tensor('float32', hwcToNchw(image, 3, d.valueRange), [1, 3, d.height, d.width]),
      [d.maskInput!]: new ort.Tensor('float32', Float32Array.from(mask), [1, 1, d.height, d.width]),
    };
    const outputs = await model.session.run(feeds);
    const data = outputs[d.output]?.data;
    if (!(data instanceof Float32Array))
      throw new StudioError('bad-input', `${model.path} gave no float32 output.`);
    const generated = nchwToHwc(data, 3, d.valueRange);
    for (const value of Object.values(outputs)) value.dispose();
    return generated.map((v, i) => (mask[Math.floor(i / 3)] ? v : image[i]!));
  };
}
