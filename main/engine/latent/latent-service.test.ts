import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LatentModelInfo } from '../../../preload/contract';
import { main } from '../../cli/index';
import { TRAINER_SOURCE, testEngine } from '../../test-support/test-engine';
import { testModelWorker } from '../../test-support/test-model-worker';
import { writeShapePhotos } from '../datasets/test-images';
import type { Engine } from '../engine';
import { forkTrainer } from '../training/trainer-host';
import { LATENT_MIN_IMAGES } from '../training/latent-data';
import { directionsFileOf } from './directions-file';

const dir = mkdtempSync(join(tmpdir(), 'latent-service-'));
const photos = join(dir, 'photos');
const model = join(dir, 'export', 'm.onnx');
let engine: Engine;
let modelId: string;
let opened: LatentModelInfo;

async function pngUrl(size: number, paint: (x: number, y: number) => number[]): Promise<string> {
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1)
    for (let x = 0; x < size; x += 1) data.set(paint(x, y), (y * size + x) * 4);
  const png = await sharp(data, { raw: { width: size, height: size, channels: 4 } })
    .png()
    .toBuffer();
  return 'data:image/png;base64,' + png.toString('base64');
}

async function pixelsOf(dataUrl: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(dataUrl.split(',')[1] ?? '', 'base64'))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

beforeAll(async () => {
  vi.stubEnv('GANSTUDIO_HOME', join(dir, 'home'));
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await writeShapePhotos(photos, LATENT_MIN_IMAGES, { size: 16, seed: 5, wideEvery: 4 });
  const host = {
    spawnTrainer: forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']),
    spawnModelWorker: testModelWorker(),
  };
  const tiny = ['--size', '16', '--ngf', '4', '--nz', '8', '--batch', '4', '--steps', '4'];
  const run = join(dir, 'run');
  expect(await main(['train', 'latent', '--data', photos, ...tiny, '--out', run, '--json'], host)).toBe(0);
  mkdirSync(join(dir, 'export'));
  expect(await main(['export', run, '--out', model, '--json'], host)).toBe(0);
  quiet.mockRestore();
  engine = testEngine(join(dir, 'data'));
  const project = await engine.handlers['projects:create']({ name: 'Latent' });
  modelId = (await engine.handlers['models:import']({ projectId: project.id, path: model })).id;
  opened = await engine.handlers['latent:open']({ modelId });
}, 240_000);

afterAll(() => {
  engine?.close();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('the latent editor engine', () => {
  it('opens a latent bundle with its principal directions, computed once and kept beside it', async () => {
    expect(opened).toMatchObject({ modelId, size: 16, nz: 8, canEdit: true });
    const principal = opened.directions.filter((d) => d.kind === 'principal');
    expect(principal.length).toBeGreaterThanOrEqual(4);
    for (const d of principal) {
      expect(d.vector).toHaveLength(8);
      expect(Math.hypot(...d.vector)).toBeCloseTo(1, 5);
      expect(d.spread).toBeGreaterThan(0);
    }
    const file = directionsFileOf(engine.models.store.get(modelId).path);
    const written = statSync(file).mtimeMs;
    const again = await engine.handlers['latent:open']({ modelId });
    expect(again.directions).toEqual(opened.directions);
    expect(statSync(file).mtimeMs).toBe(written);
  });

  it('samples codes, seeded random codes repeat, and a code of the wrong length is refused', async () => {
    const { images } = await engine.handlers['latent:sample']({
      modelId,
      codes: [Array(8).fill(0), Array(8).fill(1)],
    });
    expect(images).toHaveLength(2);
    expect(await pixelsOf(images[0]!)).toMatchObject({ width: 16, height: 16 });
    expect(images[0]).not.toBe(images[1]);
    const a = await engine.handlers['latent:random']({ modelId, count: 3, seed: 11 });
    const b = await engine.handlers['latent:random']({ modelId, count: 3, seed: 11 });
    expect(a.samples.map((s) => s.code)).toEqual(b.samples.map((s) => s.code));
    expect(a.samples[0]?.code).toHaveLength(8);
    await expect(engine.handlers['latent:sample']({ modelId, codes: [[1, 2, 3]] })).rejects.toThrow(
      "Code 1 has 3 numbers; this generator's codes have 8.",
    );
  });

  it('projects a photo: the refined code reconstructs it at least as well as the encoder alone', async () => {
    const photo = join(photos, 'photo-0000.png');
    const result = await engine.handlers['latent:project']({ modelId, path: photo, steps: 30 });
    expect(result.refined.error).toBeLessThanOrEqual(result.encoder.error);
    expect(result.errors).toHaveLength(31);
    expect(result.refined.code).toHaveLength(8);
    expect(result.notes[0]).toMatch(/photo-0000\.png is 21×16; the model sees its centre 16×16 square/);
    await expect(
      engine.handlers['latent:project']({ modelId, path: join(dir, 'missing.png') }),
    ).rejects.toThrow(/missing\.png/);
  });

  it('fits a colour stroke: candidates best first, each a full code and image', async () => {
    const red = await pngUrl(64, (x, y) => (x < 24 && y < 24 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
    const result = await engine.handlers['latent:constrain']({
      modelId,
      code: Array(8).fill(0),
      color: red,
      starts: 3,
      steps: 5,
    });
    expect(result.candidates).toHaveLength(3);
    const losses = result.candidates.map((c) => c.loss);
    expect([...losses].sort((x, y) => x - y)).toEqual(losses);
    expect(result.candidates[0]?.code).toHaveLength(8);
    expect((await pixelsOf(result.candidates[0]!.dataUrl)).width).toBe(16);
  });

  it('refuses constraints with nothing painted, off-square layers and missing layers, saying what is wrong', async () => {
    const code = Array(8).fill(0);
    await expect(engine.handlers['latent:constrain']({ modelId, code })).rejects.toThrow(
      'Paint a colour or a sketch stroke on the image first.',
    );
    const empty = await pngUrl(32, () => [0, 0, 0, 0]);
    await expect(engine.handlers['latent:constrain']({ modelId, code, sketch: empty })).rejects.toThrow(
      'The sketch strokes has nothing painted inside the image.',
    );
  });

  it('saves and deletes a direction; principal directions stay', async () => {
    const saved = await engine.handlers['latent:save-direction']({
      modelId,
      name: 'Lighter',
      vector: [3, 4, 0, 0, 0, 0, 0, 0],
    });
    expect(saved.vector.slice(0, 2)).toEqual([0.6, 0.8]);
    expect((await engine.handlers['latent:open']({ modelId })).directions).toContainEqual(saved);
    await expect(
      engine.handlers['latent:save-direction']({ modelId, name: 'Nothing', vector: Array(8).fill(0) }),
    ).rejects.toThrow('not all zeros');
    await expect(
      engine.handlers['latent:delete-direction']({ modelId, directionId: opened.directions[0]!.id }),
    ).rejects.toThrow('cannot be deleted');
    await engine.handlers['latent:delete-direction']({ modelId, directionId: saved.id });
    expect((await engine.handlers['latent:open']({ modelId })).directions).not.toContainEqual(saved);
  });

  it('ranks a folder by the critic, least typical first, listing unreadable files', async () => {
    writeFileSync(join(photos, 'broken.png'), 'not a png');
    const ranking = await engine.handlers['latent:rank']({ modelId, folder: photos });
    expect(ranking.images).toHaveLength(LATENT_MIN_IMAGES);
    const scores = ranking.images.map((i) => i.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(ranking.failures.map((f) => f.path)).toEqual([join(photos, 'broken.png')]);
    expect(ranking.images[0]?.thumbnail).toMatch(/^data:image\/png;base64,/);
    expect(Number.isFinite(ranking.median)).toBe(true);
    rmSync(join(photos, 'broken.png'));
    await expect(engine.handlers['latent:rank']({ modelId, folder: join(dir, 'export') })).rejects.toThrow(
      /holds no images/,
    );
  });

  it('says why a generator without its training weights cannot edit, and still samples', async () => {
    const path = engine.models.store.get(modelId).path;
    rmSync(path.replace(/\.onnx$/, '.latent.gsck'));
    utimesSync(path, new Date(), new Date(Date.now() + 1000));
    const info = await engine.handlers['latent:open']({ modelId });
    expect(info.canEdit).toBe(false);
    expect(info.notes.join(' ')).toContain('has no training weights beside it');
    expect((await engine.handlers['latent:random']({ modelId, count: 1 })).samples).toHaveLength(1);
    await expect(
      engine.handlers['latent:project']({ modelId, path: join(photos, 'photo-0001.png') }),
    ).rejects.toThrow('projecting an image is not possible');
  });
});
