import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { imageMetrics } from '../../../models/image-metrics';
import { Pix2Pix, PIX2PIX_DEFAULTS } from '../../../models/pix2pix';
import type { DatasetReport } from '../../engine/datasets/dataset-report';
import { PairLoader } from '../../engine/datasets/pipeline';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import { readCheckpoint } from '../../engine/training/checkpoint-file';
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
  const model = new Pix2Pix(
    {
      ...PIX2PIX_DEFAULTS,
      size: config.size,
      ngf: config.ngf,
      ndf: config.ndf,
      norm: config.norm,
      dropout: config.dropout,
      gan: config.gan,
    },
    0,
    'eval',
  );
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
  const sums = { l1: 0, psnr: 0, ssim: 0, baselineL1: 0 };
  for (const pair of pairs) {
    tf.tidy(() => {
      const a = tf.tensor4d(pair.a, [1, config.size, config.size, 3]);
      const b = tf.tensor4d(pair.b, [1, config.size, config.size, 3]);
      const m = imageMetrics(model.translate(a), b);
      sums.l1 += m.l1;
      sums.psnr += m.psnr;
      sums.ssim += m.ssim;
      sums.baselineL1 += imageMetrics(a, b).l1;
    });
  }
  model.dispose();
  const n = Math.max(1, pairs.length);
  const result = {
    checkpoint: path,
    split,
    pairs: pairs.length,
    l1: sums.l1 / n,
    psnr: sums.psnr / n,
    ssim: sums.ssim / n,
    baselineL1: sums.baselineL1 / n,
  };
  out.result(
    result,
    `${pairs.length} ${split} pairs: L1 ${result.l1.toFixed(4)} (copy-the-input ${result.baselineL1.toFixed(4)}), PSNR ${result.psnr.toFixed(2)} dB, SSIM ${result.ssim.toFixed(4)}`,
  );
}
