import { resolve } from 'node:path';
import { firstUsableSplit } from '../../engine/datasets/dataset-report';
import { PairLoader } from '../../engine/datasets/pipeline';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import { StudioError } from '../../engine/errors';
import { DERIVED_INPUT_KEY } from '../../engine/inference/derived-input';
import { onnxHeldOutMetrics, onnxHintedHeldOutMetrics } from '../../engine/inference/held-out-onnx';
import { loadModel } from '../../engine/inference/session-cache';
import { selectBackend } from '../../engine/training/tf-backend';
import type { Output } from '../output';
import { UsageError } from '../output';
import { describeHinted } from './eval-hints';
import { exportedMaskDesign, onnxFill, reportInpaintEval } from './eval-inpaint';

/** Pairs derived from a folder of photos the way the model's training pairs were, if they were. */
function derivedPairs(metadata: Record<string, string>): { derive?: 'gray2color' | 'edges2photo' } {
  const derive = metadata[DERIVED_INPUT_KEY];
  return derive === 'gray2color' || derive === 'edges2photo' ? { derive } : {};
}

/**
 * `ganstudio eval <model.onnx> --data <dir>`: L1, PSNR and SSIM of an ONNX model on held-out
 * pairs of a dataset (test split, else val), beside the copy-the-input baseline. The model runs
 * in ONNX Runtime on the platform's first working provider; the pairs are resized to its size.
 */
export async function evaluateOnnx(
  target: string,
  options: { data?: string; limit: number },
  out: Output,
): Promise<void> {
  const path = resolve(target);
  if (!options.data) {
    throw new UsageError(`Evaluating ${path} needs --data <dir>: a dataset folder with held-out pairs.`);
  }
  const model = await loadModel(path);
  try {
    const d = model.description;
    if (d.height !== d.width) {
      throw new StudioError(
        'unsupported',
        `${path} takes ${d.width}×${d.height} images; eval compares square pairs, so it needs a square model.`,
      );
    }
    await selectBackend('auto');
    const report = await scanDataset(options.data, { cropSize: d.height });
    const split = firstUsableSplit(report, d.maskInput ? ['test', 'val', 'train'] : ['test', 'val']);
    const loader = new PairLoader(report, {
      split,
      cropSize: d.height,
      direction: d.metadata.direction === 'BtoA' ? 'BtoA' : 'AtoB',
      flip: false,
      ...(d.maskInput ? { derive: 'inpaint' as const } : derivedPairs(d.metadata)),
    });
    const pairs = await loader.loadFixed(options.limit, split);
    loader.close();
    if (d.maskInput) {
      const images = pairs.map((p) => p.b);
      const source = { model: path, provider: model.provider, split };
      return await reportInpaintEval(
        images,
        d.height,
        exportedMaskDesign(model),
        onnxFill(model),
        source,
        out,
      );
    }
    if (d.hintInput) {
      const hinted = await onnxHintedHeldOutMetrics(model, pairs);
      const result = { model: path, provider: model.provider, split, pairs: pairs.length, ...hinted };
      out.result(
        result,
        `${pairs.length} ${split} pairs (ONNX on ${model.provider}): ${describeHinted(hinted)}`,
      );
      return;
    }
    const metrics = await onnxHeldOutMetrics(model, pairs);
    const result = { model: path, provider: model.provider, split, pairs: pairs.length, ...metrics };
    out.result(
      result,
      `${pairs.length} ${split} pairs (ONNX on ${model.provider}): L1 ${result.l1.toFixed(4)} (copy-the-input ${result.baselineL1.toFixed(4)}), PSNR ${result.psnr.toFixed(2)} dB, SSIM ${result.ssim.toFixed(4)}`,
    );
  } finally {
    await model.session.release();
  }
}
