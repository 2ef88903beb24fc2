import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { firstUsableSplit, isUnaligned, type DatasetReport } from '../../engine/datasets/dataset-report';
import { PairLoader } from '../../engine/datasets/pipeline';
import { UnpairedLoader } from '../../engine/datasets/unpaired-loader';
import { InpaintGan } from '../../../models/inpaint';
import { arrayFillOf } from '../../engine/training/inpaint-eval';
import { inpaintConfigOf, trainingModelFor, type EvalFigures } from '../../engine/training/training-model';
import { hintedHeldOutMetrics, pix2pixFor } from '../../engine/training/held-out';
import { describeHinted } from './eval-hints';
import { reportInpaintEval } from './eval-inpaint';
import { describeFigures } from './train';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import { readCheckpoint } from '../../engine/training/checkpoint-file';
import { trainConfigSchema } from '../../engine/training/run-config';
import { selectBackend } from '../../engine/training/tf-backend';
import type { Output } from '../output';
import { checkpointOf } from './checkpoint-target';
import { evaluateOnnx } from './eval-onnx';

/**
 * `ganstudio eval <runDir|checkpoint> [--data <dir>]`: L1, PSNR and SSIM of the generator on
 * held-out pairs (test split, else val), beside the copy-the-input baseline; for CycleGAN, the
 * cycle-reconstruction L1 of both directions on held-out A and B images. A target ending in
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
  const runReport = join(resolve(path, '..', '..'), 'dataset.json');
  const scan = (root: string): Promise<DatasetReport> =>
    scanDataset(root, { cropSize: config.size, mode: config.data.mode, secondRoot: config.data.secondRoot });
  const report: DatasetReport = options.data
    ? await scan(options.data)
    : existsSync(runReport)
      ? (JSON.parse(readFileSync(runReport, 'utf8')) as DatasetReport)
      : await scan(config.data.root);
  const unaligned = isUnaligned(report);
  const split = firstUsableSplit(report, ['test', 'val', 'train']);
  const loaderOptions = {
    split,
    cropSize: config.size,
    direction: config.direction,
    derive: config.model === 'inpaint' ? 'inpaint' : config.data.derive,
    flip: false,
  } as const;
  const loader = unaligned
    ? new UnpairedLoader(report, loaderOptions)
    : new PairLoader(report, loaderOptions);
  const pairs = await loader.loadFixed(options.limit, split);
  const matched = loader instanceof UnpairedLoader ? await loader.loadMatched(options.limit, split) : [];
  loader.close();
  if (config.model === 'inpaint') {
    const gan = new InpaintGan(inpaintConfigOf(config), 0, 'eval');
    try {
      gan.restore(tensors);
      const fill = arrayFillOf((image, mask) => gan.fill(image, mask), config.size);
      const images = pairs.map((p) => p.b);
      return await reportInpaintEval(
        images,
        config.size,
        config.maskDesign,
        fill,
        { checkpoint: path, split },
        out,
      );
    } finally {
      gan.dispose();
      tf.dispose(tensors.map((t) => t.tensor));
    }
  }
  if (config.model === 'pix2pix' && config.hints) {
    const pix2pix = pix2pixFor(config, config.seed);
    try {
      pix2pix.restore(tensors);
      const hinted = hintedHeldOutMetrics((a, hints) => pix2pix.translate(a, hints), pairs, config.size);
      const result = { checkpoint: path, model: config.model, split, pairs: pairs.length, ...hinted };
      out.result(result, `${pairs.length} ${split} pairs: ${describeHinted(hinted)}`);
      return;
    } finally {
      pix2pix.dispose();
      tf.dispose(tensors.map((t) => t.tensor));
    }
  }
  const model = trainingModelFor(config);
  let figures: EvalFigures;
  try {
    model.restore(tensors, meta);
    figures = await model.evaluate(pairs, config.size, matched);
  } finally {
    model.dispose();
    tf.dispose(tensors.map((t) => t.tensor));
  }
  const result = {
    checkpoint: path,
    model: config.model,
    split,
    pairs: pairs.length,
    ...(unaligned ? { matchedPairs: matched.length } : {}),
    ...figures,
  };
  const against = matched.length > 0 ? `, L1 etc. A→B against ${matched.length} pairs named alike` : '';
  out.result(
    result,
    `${pairs.length} ${split} ${unaligned ? 'A and B images' : 'pairs'}${against}: ${describeFigures(figures)}`,
  );
}
