import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { scanDataset } from '../datasets/scan-dataset';
import { firstUsableSplit, type DatasetReport } from '../datasets/dataset-report';
import { PairLoader, type LoaderState } from '../datasets/pipeline';
import { UnpairedLoader } from '../datasets/unpaired-loader';
import { StudioError } from '../errors';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file';
import { latentDataError } from './latent-data';
import { learningRateAt, totalSteps, trainConfigSchema, type TrainConfig } from './run-config';
import { selectBackend } from './tf-backend';
import type { TrainerEvent } from './trainer-messages';
import { trainingModelFor } from './training-model';

/** How the loop talks to the outside: events out, a stop flag in. */
export interface LoopIo {
  send(event: TrainerEvent): void;
  stopRequested(): boolean;
}

const PROGRESS_INTERVAL_MS = 250;

/** The files of a run inside its folder. */
export function runFiles(runDir: string): {
  config: string;
  report: string;
  checkpoints: string;
  samples: string;
} {
  return {
    config: join(runDir, 'config.json'),
    report: join(runDir, 'dataset.json'),
    checkpoints: join(runDir, 'checkpoints'),
    samples: join(runDir, 'samples'),
  };
}

/** The newest readable checkpoint of a run, or null; damaged newer ones are skipped with a warning. */
export function latestCheckpoint(runDir: string, warn: (message: string) => void): string | null {
  const dir = runFiles(runDir).checkpoints;
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((name) => /^step-\d+\.gsck$/.test(name))
    .sort()
    .reverse();
  for (const name of files) {
    const path = join(dir, name);
    try {
      const { tensors } = readCheckpoint(path);
      tf.dispose(tensors.map((t) => t.tensor));
      return path;
    } catch (error) {
      warn(`${(error as Error).message} Falling back to an older checkpoint.`);
    }
  }
  return null;
}

function toBatchTensor(data: Float32Array, batch: number, size: number): tf.Tensor4D {
  return tf.tensor4d(data, [batch, size, size, 3]);
}

/**
 * Trains a run in `runDir` (its config.json written by the host) until its last step or a stop
 * request: prefetching loader, one model step per batch, throttled progress, a validation strip
 * every `sampleEvery` steps, metrics on held-out pairs each epoch, atomic checkpoints every
 * `checkpointEvery` steps and at the end. With `resume`, continues from the newest checkpoint.
 */
export async function runTraining(runDir: string, resume: boolean, io: LoopIo): Promise<void> {
  const files = runFiles(runDir);
  const config: TrainConfig = trainConfigSchema.parse(JSON.parse(readFileSync(files.config, 'utf8')));
  const backend = await selectBackend(config.backend);
  mkdirSync(files.checkpoints, { recursive: true });
  mkdirSync(files.samples, { recursive: true });

  let report: DatasetReport;
  if (existsSync(files.report)) {
    report = JSON.parse(readFileSync(files.report, 'utf8')) as DatasetReport;
  } else {
    report = await scanDataset(config.data.root, {
      mode: config.data.mode,
      secondRoot: config.data.secondRoot,
      cropSize: config.size,
    });
    writeFileSync(files.report, JSON.stringify(report));
  }
  const dataError = config.model === 'latent' ? latentDataError(report) : undefined;
  if (dataError) throw new StudioError('bad-input', dataError);
  // Both learn from the photos alone; the `inpaint` derivation makes A the photo itself.
  const photosOnly = config.model === 'inpaint' || config.model === 'latent';
  const loaderOptions = {
    split: 'train' as const,
    cropSize: config.size,
    loadSize: config.loadSize,
    preprocess: config.preprocess,
    flip: config.flip,
    direction: config.direction,
    batchSize: config.batch,
    seed: config.seed,
    derive: photosOnly ? ('inpaint' as const) : config.data.derive,
    onProblem: (problem: { message: string }) => io.send({ type: 'warning', message: problem.message }),
  };
  const loader =
    config.model === 'cyclegan' || (photosOnly && report.mode === 'unaligned')
      ? new UnpairedLoader(report, loaderOptions)
      : new PairLoader(report, loaderOptions);
  const held = await loader.loadFixed(
    Math.max(config.samples, config.evalImages),
    firstUsableSplit(report, ['val', 'test', 'train']),
  );
  const matched =
    loader instanceof UnpairedLoader && config.model === 'cyclegan'
      ? await loader.loadMatched(config.evalImages, firstUsableSplit(report, ['test', 'val']))
      : [];
  const model = trainingModelFor(config);
  const total = totalSteps(config, loader.stepsPerEpoch);

  let step = 0;
  let resumedFrom: number | null = null;
  if (resume) {
    const path = latestCheckpoint(runDir, (message) => io.send({ type: 'warning', message }));
    if (path) {
      const { meta, tensors } = readCheckpoint(path);
      model.restore(tensors, meta);
      tf.dispose(tensors.map((t) => t.tensor));
      loader.restore(meta.loader as LoaderState);
      step = meta.step;
      resumedFrom = step;
    }
  }
  io.send({
    type: 'started',
    backend: backend.name,
    backendDetail: backend.detail,
    totalSteps: total,
    stepsPerEpoch: loader.stepsPerEpoch,
    resumedFrom,
  });

  const sampleInputs = held.slice(0, config.samples);
  const evalSet = held.slice(0, config.evalImages);
  const writeSample = async (): Promise<void> => {
    const path = join(files.samples, `step-${String(step).padStart(7, '0')}.png`);
    await model.writeSample(path, sampleInputs, config.size);
    io.send({ type: 'sample', step, path });
  };
  const checkpoint = async (): Promise<void> => {
    const path = join(files.checkpoints, `step-${String(step).padStart(7, '0')}.gsck`);
    const state = model.checkpoint();
    const { sha256, bytes } = await writeCheckpoint(path, state.tensors, {
      ...state.meta,
      step,
      loader: loader.state(),
      config,
      backend: backend.name,
      createdAt: new Date().toISOString(),
    });
    io.send({ type: 'checkpoint', step, path, sha256, bytes });
    const old = readdirSync(files.checkpoints)
      .filter((name) => /^step-\d+\.gsck$/.test(name))
      .sort()
      .slice(0, -config.keepCheckpoints);
    for (const name of old) rmSync(join(files.checkpoints, name), { force: true });
  };
  const evaluate = async (epoch: number): Promise<void> => {
    io.send({ type: 'eval', step, epoch, ...(await model.evaluate(evalSet, config.size, matched)) });
  };

  if (step === 0) await writeSample();
  let lastProgress = 0;
  let since: Record<string, number> = {};
  let sinceCount: Record<string, number> = {};
  let windowStart = performance.now();
  let windowSteps = 0;
  let stepsPerSec = 0;
  let epoch = Math.floor(step / loader.stepsPerEpoch);
  while (step < total && !io.stopRequested()) {
    const batch = await loader.next();
    const lr = learningRateAt(step, total, config.lr);
    model.setLearningRate(lr);
    const a = toBatchTensor(batch.a, batch.batch, config.size);
    const b = toBatchTensor(batch.b, batch.batch, config.size);
    const losses = model.step(a, b, config.seed * 1_000_003 + step, step);
    tf.dispose([a, b]);
    step += 1;
    for (const [name, value] of Object.entries(losses)) {
      since[name] = (since[name] ?? 0) + value;
      sinceCount[name] = (sinceCount[name] ?? 0) + 1;
    }
    windowSteps += 1;
    const now = performance.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS || step === total) {
      const elapsed = (now - windowStart) / 1000;
      stepsPerSec = elapsed > 0 ? windowSteps / elapsed : stepsPerSec;
      if (elapsed > 10) {
        windowStart = now;
        windowSteps = 0;
      }
      const averaged = Object.fromEntries(
        Object.entries(since).map(([k, v]) => [k, v / (sinceCount[k] ?? 1)]),
      );
      io.send({
        type: 'progress',
        step,
        totalSteps: total,
        epoch: Math.floor((step - 1) / loader.stepsPerEpoch),
        losses: averaged,
        itPerSec: stepsPerSec,
        etaSec: stepsPerSec > 0 ? (total - step) / stepsPerSec : 0,
        lr,
      });
      since = {};
      sinceCount = {};
      lastProgress = now;
    }
    if (!Object.values(losses).every(Number.isFinite)) {
      throw new StudioError(
        'internal',
        `Training diverged at step ${step} (a loss became ${JSON.stringify(losses)}). Try a lower learning rate.`,
      );
    }
    if (step % config.sampleEvery === 0) await writeSample();
    if (step % config.checkpointEvery === 0 && step < total) await checkpoint();
    const nextEpoch = Math.floor(step / loader.stepsPerEpoch);
    if (nextEpoch !== epoch) {
      await evaluate(epoch);
      epoch = nextEpoch;
    }
  }
  const stopped = step < total;
  if (step % config.sampleEvery !== 0) await writeSample();
  if (!stopped && step % loader.stepsPerEpoch !== 0) await evaluate(epoch);
  await checkpoint();
  loader.close();
  model.dispose();
  io.send({ type: 'done', step, stopped });
}
