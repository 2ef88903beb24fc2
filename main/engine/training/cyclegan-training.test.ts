import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../datasets/demo-dataset';
import { useTempDir } from '../../test-support/temp-dir';
import { testEngine, TRAINER_SOURCE } from '../../test-support/test-engine';
import type { Engine } from '../engine';
import { readCheckpoint } from './checkpoint-file';
import type { TrainConfigInput } from './run-config';
import { forkTrainer, type TrainerProcess } from './trainer-host';
import type { TrainerEvent } from './trainer-messages';
import { TrainingService } from './training-service';

const tempDir = useTempDir();
let data: string;

/** An unaligned dataset: outlines in trainA/, filled shapes of other pictures in trainB/ (fewer). */
beforeAll(async () => {
  const demo = mkdtempSync(join(tmpdir(), 'ganstudio-cyc-demo-'));
  data = mkdtempSync(join(tmpdir(), 'ganstudio-cyc-'));
  await writeDemoDataset(demo, { count: 20, size: 32, seed: 9 });
  const files = readdirSync(join(demo, 'train')).filter((n) => n.endsWith('.png'));
  for (const side of ['trainA', 'trainB', 'testA', 'testB']) mkdirSync(join(data, side));
  for (const [i, name] of files.entries()) {
    const source = join(demo, 'train', name);
    const test = i < 2 ? 'test' : 'train';
    await sharp(source)
      .extract({ left: 0, top: 0, width: 32, height: 32 })
      .toFile(join(data, `${test}A`, name));
    if (i % 2 === 0 || i < 2) {
      await sharp(source)
        .extract({ left: 32, top: 0, width: 32, height: 32 })
        .toFile(join(data, `${test}B`, name));
    }
  }
  rmSync(demo, { recursive: true, force: true });
}, 60_000);

afterAll(() => rmSync(data, { recursive: true, force: true }));

const tiny = (over: Partial<TrainConfigInput> = {}): TrainConfigInput => ({
  model: 'cyclegan',
  data: { root: data },
  size: 32,
  steps: 6,
  ngf: 4,
  ndf: 4,
  blocks: 2,
  sampleEvery: 3,
  checkpointEvery: 3,
  samples: 2,
  evalImages: 2,
  seed: 3,
  ...over,
});

function finalWeights(engine: Engine, runId: string): Map<string, number[]> {
  const last = engine.training.runs.checkpoints(runId).at(-1);
  if (!last) throw new Error('no checkpoint');
  const { tensors } = readCheckpoint(last.path);
  const out = new Map(
    tensors.filter((t) => /^(G|D)_[AB]\//.test(t.name)).map((t) => [t.name, Array.from(t.tensor.dataSync())]),
  );
  tf.dispose(tensors.map((t) => t.tensor));
  return out;
}

describe('CycleGAN training runs', () => {
  it('trains on an unaligned dataset with a six-column strip and cycle errors per epoch', async () => {
    const engine = testEngine(tempDir());
    const project = engine.projects.create('Cycles');
    const events: TrainerEvent[] = [];
    const run = engine.training.start(project.id, tiny(), { onEvent: (e) => events.push(e) });
    expect(await engine.training.outcome(run.id)).toBe('done');
    expect(engine.training.runs.get(run.id).kind).toBe('cyclegan');
    const sample = engine.training.runs.samples(run.id).at(-1);
    const meta = await sharp(sample?.path ?? '').metadata();
    expect([meta.width, meta.height]).toEqual([6 * 32, 2 * 32]);
    const metrics = engine.training.runs.metrics(run.id);
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining([
        'loss_D_A',
        'loss_G_A',
        'loss_cycle_A',
        'loss_idt_B',
        'val_cycle_A',
        'val_cycle_B',
      ]),
    );
    // testA/ and testB/ hold the same two pictures under the same names: ground truth for A→B.
    for (const key of ['val_l1', 'val_psnr', 'val_ssim', 'val_baseline_l1']) {
      expect(metrics[key]?.length, key).toBeGreaterThan(0);
      expect(Number.isFinite(metrics[key]?.at(-1)?.[1]), key).toBe(true);
    }
    engine.close();
  }, 120_000);

  it('resumes after a kill to the same weights as an uninterrupted run (loader and fake pools restored)', async () => {
    const reference = testEngine(tempDir());
    const refRun = reference.training.start(reference.projects.create('Reference').id, tiny({ poolSize: 2 }));
    expect(await reference.training.outcome(refRun.id)).toBe('done');
    const expected = finalWeights(reference, refRun.id);
    reference.close();

    const engine = testEngine(tempDir());
    let child: TrainerProcess | null = null;
    const spawn = forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']);
    const service = new TrainingService(
      engine.training.runs,
      engine.bus,
      () => (child = spawn()),
      (p, r) => join(engine.projects.folderOf(p), 'runs', r),
    );
    const run = service.start(engine.projects.create('Crashy').id, tiny({ poolSize: 2 }), {
      onEvent: (event) => {
        if (event.type === 'checkpoint' && event.step === 3) child?.kill();
      },
    });
    expect(await service.outcome(run.id)).toBe('crashed');
    await service.resume(run.id);
    expect(await service.outcome(run.id)).toBe('done');
    const actual = finalWeights(engine, run.id);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, values] of expected) expect(actual.get(name), name).toEqual(values);
    engine.close();
  }, 180_000);

  it('refuses pix2pix on an unaligned dataset with the reason', () => {
    const engine = testEngine(tempDir());
    const project = engine.projects.create('Wrong model');
    expect(() =>
      engine.training.start(project.id, tiny({ model: 'pix2pix', data: { root: data, mode: 'unaligned' } })),
    ).toThrow(/pix2pix needs paired images; an unaligned dataset trains CycleGAN/);
    engine.close();
  });
});
