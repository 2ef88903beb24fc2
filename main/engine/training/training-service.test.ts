import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
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

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = mkdtempSync(join(tmpdir(), 'ganstudio-shapes-'));
  await writeDemoDataset(data, { count: 24, size: 32, seed: 3 });
}, 60_000);

afterAll(() => rmSync(data, { recursive: true, force: true }));

const tiny = (over: Partial<TrainConfigInput> = {}): TrainConfigInput => ({
  model: 'pix2pix',
  data: { root: data },
  size: 32,
  steps: 8,
  ngf: 4,
  ndf: 4,
  sampleEvery: 4,
  checkpointEvery: 4,
  samples: 2,
  evalImages: 2,
  seed: 5,
  ...over,
});

function finalWeights(engine: Engine, runId: string): Map<string, number[]> {
  const last = engine.training.runs.checkpoints(runId).at(-1);
  if (!last) throw new Error('no checkpoint');
  const { tensors } = readCheckpoint(last.path);
  const out = new Map(
    tensors.filter((t) => t.name.startsWith('G/')).map((t) => [t.name, Array.from(t.tensor.dataSync())]),
  );
  tf.dispose(tensors.map((t) => t.tensor));
  return out;
}

describe('training runs', () => {
  it('trains to the end in a child process and records everything in the catalog', async () => {
    const engine = testEngine(tempDir());
    const project = engine.projects.create('Runs');
    const events: TrainerEvent[] = [];
    const run = engine.training.start(project.id, tiny(), { onEvent: (e) => events.push(e) });
    expect(await engine.training.outcome(run.id)).toBe('done');
    const record = engine.training.runs.get(run.id);
    expect(record.status).toBe('done');
    expect(record.backend).toMatch(/wasm|cpu|node/);
    expect(events[0]).toMatchObject({ type: 'started', totalSteps: 8 });
    expect(events.some((e) => e.type === 'progress' && e.step === 8)).toBe(true);
    const checkpoints = engine.training.runs.checkpoints(run.id);
    expect(checkpoints.map((c) => c.step)).toEqual([4, 8]);
    for (const c of checkpoints) expect(existsSync(c.path)).toBe(true);
    const samples = engine.training.runs.samples(run.id);
    expect(samples.map((s) => s.step)).toEqual([0, 4, 8]);
    const metrics = engine.training.runs.metrics(run.id);
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining(['loss_D', 'loss_G_gan', 'loss_G_l1', 'val_l1', 'val_psnr', 'val_ssim']),
    );
    engine.close();
  }, 90_000);

  it('after the trainer is killed, marks only the run crashed and resumes it exactly', async () => {
    const reference = testEngine(tempDir());
    const refProject = reference.projects.create('Reference');
    const refRun = reference.training.start(refProject.id, tiny({ steps: 12, checkpointEvery: 3 }));
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
    const project = engine.projects.create('Crashy');
    const run = service.start(project.id, tiny({ steps: 12, checkpointEvery: 3 }), {
      onEvent: (event) => {
        if (event.type === 'checkpoint' && event.step === 6) child?.kill();
      },
    });
    expect(await service.outcome(run.id)).toBe('crashed');
    expect(engine.training.runs.get(run.id).status).toBe('crashed');

    const resumedEvents: TrainerEvent[] = [];
    await service.resume(run.id, (e) => resumedEvents.push(e));
    expect(await service.outcome(run.id)).toBe('done');
    expect(resumedEvents.find((e) => e.type === 'started')).toMatchObject({ resumedFrom: 6 });
    const actual = finalWeights(engine, run.id);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [name, values] of expected) expect(actual.get(name), name).toEqual(values);
    engine.close();
  }, 180_000);

  it('stops politely with a checkpoint at the step it reached, then resumes to the end', async () => {
    const engine = testEngine(tempDir());
    const project = engine.projects.create('Stoppable');
    let asked = false;
    const run = engine.training.start(project.id, tiny({ steps: 40, checkpointEvery: 100 }), {
      onEvent: (event) => {
        if (event.type === 'progress' && !asked) {
          asked = true;
          void engine.training.stop(run.id);
        }
      },
    });
    expect(await engine.training.outcome(run.id)).toBe('stopped');
    const stoppedAt = engine.training.runs.checkpoints(run.id).at(-1)?.step ?? 0;
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(40);
    expect(engine.training.runs.get(run.id).status).toBe('stopped');
    await engine.training.resume(run.id);
    expect(await engine.training.outcome(run.id)).toBe('done');
    expect(engine.training.runs.checkpoints(run.id).at(-1)?.step).toBe(40);
    engine.close();
  }, 180_000);

  it('refuses a missing dataset folder and an unwritable output folder with clear messages', () => {
    const engine = testEngine(tempDir());
    const project = engine.projects.create('Bad input');
    const missing = join(tempDir(), 'nowhere');
    expect(() => engine.training.start(project.id, tiny({ data: { root: missing } }))).toThrow(
      `The dataset folder ${missing} does not exist.`,
    );
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    expect(() => engine.training.start(project.id, tiny(), { runDir: join(blocker, 'run') })).toThrow(
      `Cannot use ${join(blocker, 'run')} as the run's output folder`,
    );
    expect(engine.training.runs.list(project.id)).toEqual([]);
    expect(() => engine.training.start(project.id, tiny({ steps: 5, epochs: 2 }))).toThrow(
      /either steps or epochs/,
    );
    engine.close();
  });

  it('reports a dataset with nothing usable as a failed run with the reason', async () => {
    const engine = testEngine(tempDir());
    const project = engine.projects.create('Empty');
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const run = engine.training.start(project.id, tiny({ data: { root: empty } }));
    expect(await engine.training.outcome(run.id)).toBe('failed');
    expect(engine.training.runs.get(run.id).error).toMatch(/empty|no image/i);
    engine.close();
  }, 60_000);
});
