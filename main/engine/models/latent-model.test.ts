import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetView, ModelView } from '../../../preload/contract';
import { writeShapePhotos } from '../datasets/test-images';
import type { Engine } from '../engine';
import { LATENT_MIN_IMAGES } from '../training/latent-data';
import { testEngine } from '../../test-support/test-engine';

let photos: string;
let engine: Engine;
let projectId: string;
let model: ModelView;

beforeAll(async () => {
  photos = mkdtempSync(join(tmpdir(), 'ganstudio-latent-'));
  await writeShapePhotos(photos, LATENT_MIN_IMAGES, { size: 16, wideEvery: 5 });
  engine = testEngine(mkdtempSync(join(tmpdir(), 'ganstudio-latent-home-')));
  projectId = engine.projects.create('Latent').id;
  const run = engine.training.start(projectId, {
    model: 'latent',
    data: { root: photos },
    size: 16,
    steps: 2,
    batch: 4,
    ngf: 4,
    ndf: 4,
    nz: 8,
    samples: 1,
    evalImages: 2,
  });
  expect(await engine.training.outcome(run.id)).toBe('done');
  model = await engine.models.exportRun(run.id);
}, 180_000);

afterAll(() => {
  engine.close();
  rmSync(photos, { recursive: true, force: true });
  rmSync(engine.dataDir, { recursive: true, force: true });
});

describe('a latent model in a project', () => {
  it('is one model of kind latent whose bundle lies beside it', () => {
    expect(model).toMatchObject({ kind: 'latent', nz: 8, width: 16, height: 16, outChannels: 3 });
    expect(model.parityMaxAbs).toBeLessThanOrEqual(1e-4);
    const stem = basename(model.path, '.onnx');
    expect(readdirSync(dirname(model.path)).sort()).toEqual(
      [`${stem}.encoder.onnx`, `${stem}.latent.gsck`, `${stem}.onnx`].sort(),
    );
    expect(engine.models.store.list(projectId)).toHaveLength(1);
  });

  it('is not run on images: it opens in the latent editor', async () => {
    await expect(engine.models.runOnImage(model.id, join(photos, 'photo-0001.png'))).rejects.toThrow(
      `${model.name} is a latent generator: it makes images from latent codes, not from images, so it cannot run on images; open it in the latent editor.`,
    );
  });

  it('takes its encoder and weights with it when deleted', () => {
    engine.models.delete(model.id);
    expect(readdirSync(dirname(model.path))).toEqual([]);
  });

  it('is refused on a dataset with too few images before a run is made, naming both counts', async () => {
    const few = mkdtempSync(join(tmpdir(), 'ganstudio-latent-few-'));
    try {
      await writeShapePhotos(few, 9, { size: 128 });
      const dataset = (await engine.handlers['datasets:import']({ projectId, root: few })) as DatasetView;
      expect(dataset.squareCrop).toEqual({ images: 9, cropped: 0 });
      const start = () =>
        engine.handlers['runs:start']({
          projectId,
          settings: {
            model: 'latent',
            datasetId: dataset.id,
            size: 16,
            steps: 2,
            batch: 4,
            backend: 'auto',
            direction: 'AtoB',
            ngf: 4,
            norm: 'none',
            gan: 'wgangp',
            sampleEvery: 1,
            checkpointEvery: 1,
            seed: 0,
          },
        });
      expect(start).toThrow(`${few} has 9 usable images; a latent GAN needs at least ${LATENT_MIN_IMAGES}`);
      expect(engine.training.runs.list(projectId)).toHaveLength(1);
    } finally {
      rmSync(few, { recursive: true, force: true });
    }
  });
});
