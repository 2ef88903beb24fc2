import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DatasetReport } from '../../engine/datasets/dataset-report';
import { PairLoader } from '../../engine/datasets/pipeline';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import { readCheckpoint } from '../../engine/training/checkpoint-file';
import { heldOutMetrics, pix2pixFor } from '../../engine/training/held-out';
import { trainConfigSchema } from '../../engine/training/run-config';
import { selectBackend } from '../../engine/training/tf-backend';
import type { Output } from '../output';
import { checkpointOf } from './checkpoint-target';
import { evaluateOnnx } from './eval-onnx';

/**
 * `ganstudio eval <runDir|checkpoint> [--data <dir>]`: L1, PSNR and SSIM of the generator on
 * held-out pairs (test split, else val), beside the copy-the-input baseline. A target ending in
 * `.onnx` is an exported model, measured the same way on the pairs of `--data`.
 */
export async function evaluate(
  target: string,
  options: { data?: string; limit: number },
  out: Output,
): Promise<void> {
  if (target.toLowerCase().endsWith('.onnx')) return evaluateOnnx(target, options, out);
  const path = checkpointOf(target);
  await selectBackend('auto');
  const { meta, tensors } = readCheckpoint(path);
  const config = trainConfigSchema.parse(meta.config);
  const model = pix2pixFor(config, 0, 'eval');
  model.restore(tensors);
  tf.dispose(tensors.map((t) => t.tensor));
  const runReport = join(resolve(path, '..', '..'), 'dataset.json');
  const report: DatasetReport = options.data
    ? await scanDataset(options.data, { cropSize: config.size, mode: config.data.mode })
    : existsSync(runReport)
      ? (JSON.parse(readFileSync(runReport, 'utf8')) as DatasetReport)
      : await scanDataset(config.data.root, { cropSize: config.size, mode: config.data.mode });
  const split = report.splits.test.length ? 'test' : 'val';
  const loader = new PairLoader(report, {
    split,
    cropSize: config.size,
    direction: config.direction,
    derive: config.data.derive,
    flip: false,
  });
  const pairs = await loader.loadFixed(options.limit, split);
  loader.close();
  const metrics = heldOutMetrics(model, pairs, config.size);
  model.dispose();
  const result = { checkpoint: path, split, pairs: pairs.length, ...metrics };
  out.result(
    result,
    `${pairs.length} ${split} pairs: L1 ${result.l1.toFixed(4)} (copy-the-input ${result.baselineL1.toFixed(4)}), PSNR ${result.psnr.toFixed(2)} dB, SSIM ${result.ssim.toFixed(4)}`,
  );
}
