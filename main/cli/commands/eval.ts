import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DatasetReport } from '../../engine/datasets/dataset-report';
import { PairLoader } from '../../engine/datasets/pipeline';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import { readCheckpoint } from '../../engine/training/checkpoint-file';
import { heldOutMetrics, pix2pixFor } from '../../engine/training/held-out';
import { trainConfigSchema } from '../../engine/training/run-config';
import { runFiles } from '../../engine/training/train-loop';
import { selectBackend } from '../../engine/training/tf-backend';
import type { Output } from '../output';
import { UsageError } from '../output';

function checkpointPath(target: string): string {
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`${path} does not exist.`);
  if (statSync(path).isFile()) return path;
  const dir = runFiles(path).checkpoints;
  const newest = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.gsck'))
        .sort()
        .at(-1)
    : undefined;
  if (!newest) throw new UsageError(`${path} has no checkpoints to evaluate.`);
  return join(dir, newest);
}

/**
 * `ganstudio eval <runDir|checkpoint> [--data <dir>]`: L1, PSNR and SSIM of the generator on
 * held-out pairs (test split, else val), beside the copy-the-input baseline.
 */
export async function evaluate(
  target: string,
  options: { data?: string; limit: number },
  out: Output,
): Promise<void> {
  const path = checkpointPath(target);
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
