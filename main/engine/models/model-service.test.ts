import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoDataset } from '../datasets/demo-dataset';
import { derivePair } from '../datasets/derive-pairs';
import { writeUnetModel } from '../../test-support/onnx-models';
import { useTempDir } from '../../test-support/temp-dir';
import { testEngine } from '../../test-support/test-engine';
import { describeOnnx } from '../../../models/onnx/onnx-proto';
import type { RawPixels } from '../../../preload/contract';
import { PNG_DATA_URL } from '../datasets/image-io';
import type { Engine } from '../engine';
import { exportCheckpoint } from '../export/export-checkpoint';
import { readFileSync } from 'node:fs';

const tempDir = useTempDir();
let data: string;
let engine: Engine;
let projectId: string;
let runId: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'ganstudio-models-'));
  await writeDemoDataset(data, { count: 12, size: 32, seed: 4 });
  engine = testEngine(mkdtempSync(join(tmpdir(), 'ganstudio-models-home-')));
  projectId = engine.projects.create('Models').id;
  const run = engine.training.start(projectId, {
    model: 'pix2pix',
    data: { root: data },
    size: 32,
    steps: 4,
    ngf: 4,
    ndf: 4,
    sampleEvery: 4,
    checkpointEvery: 4,
    samples: 1,
    evalImages: 1,
    seed: 2,
  });
  runId = run.id;
  expect(await engine.training.outcome(runId)).toBe('done');
}, 120_000);

afterAll(() => {
  engine.close();
  rmSync(data, { recursive: true, force: true });
  rmSync(engine.dataDir, { recursive: true, force: true });
});

/** A sharp image as the canvas sends it: raw pixels. */
async function rawPixels(image: sharp.Sharp): Promise<RawPixels> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels as 3 | 4,
    data: new Uint8Array(data),
  };
}

function firstImage(): string {
  const dir = join(data, 'test');
  const name = readdirSync(dir).find((n) => n.endsWith('.png'));
  if (!name) throw new Error('no demo image');
  return join(dir, name);
}

describe('models of a project', () => {
  it('exports a run with its parity figure, metadata and latency, and lists it', async () => {
    const model = await engine.models.exportRun(runId);
    expect(model.source).toBe('export');
    expect(model.kind).toBe('pix2pix');
    expect(model.parityMaxAbs).toBeLessThanOrEqual(1e-4);
    expect(model.latencyMs).toBeGreaterThan(0);
    expect(model.provider).toBe('cpu');
    expect([model.height, model.width, model.inChannels, model.outChannels]).toEqual([32, 32, 3, 3]);
    expect(existsSync(model.path)).toBe(true);
    const meta = describeOnnx(readFileSync(model.path)).metadata;
    expect(meta).toMatchObject({
      model_kind: 'pix2pix',
      run_id: runId,
      input_size: '32x32',
      value_range: '-1,1',
    });
    expect(meta.dataset_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(engine.models.store.list(projectId).map((m) => m.id)).toContain(model.id);
  });

  it('runs a model on an image far from its size, with a note, writing input and output', async () => {
    const model = await engine.models.exportRun(runId, { name: 'for running' });
    const big = join(tempDir(), 'wide.png');
    await sharp(firstImage()).resize(96, 64, { fit: 'fill' }).png().toFile(big);
    const result = await engine.models.runOnImage(model.id, big);
    expect(result.notes.join(' ')).toMatch(/96×64/);
    expect((await sharp(result.outputPath).metadata()).width).toBe(32);
    expect((await sharp(result.inputPath).metadata()).width).toBe(32);
    expect(result.provider).toBe('cpu');
  });

  it('refuses an image that cannot be read, naming it', async () => {
    const model = engine.models.store.list(projectId)[0];
    if (!model) throw new Error('no model');
    const broken = join(tempDir(), 'broken.png');
    writeFileSync(broken, 'not a png');
    await expect(engine.models.runOnImage(model.id, broken)).rejects.toThrow(/broken\.png/);
  });

  it('imports an ONNX file by copying it into the project, and deletes it with its file', async () => {
    const exported = engine.models.store.list(projectId)[0];
    if (!exported) throw new Error('no model');
    const imported = await engine.models.importFile(projectId, exported.path, 'brought along');
    expect(imported.source).toBe('import');
    expect(imported.parityMaxAbs).toBeNull();
    expect(imported.path).not.toBe(exported.path);
    expect(imported.kind).toBe('pix2pix');
    engine.models.delete(imported.id);
    expect(existsSync(imported.path)).toBe(false);
    expect(engine.models.store.list(projectId).map((m) => m.id)).not.toContain(imported.id);
  });

  it('refuses a file that is not ONNX, naming it, and adds nothing', async () => {
    const before = engine.models.store.list(projectId).length;
    const bad = join(tempDir(), 'notes.onnx');
    writeFileSync(bad, 'these are my notes, not a model');
    await expect(engine.models.importFile(projectId, bad)).rejects.toThrow(/notes\.onnx: not an ONNX model/);
    const truncated = join(tempDir(), 'half.onnx');
    const whole = readFileSync(engine.models.store.list(projectId)[0]?.path ?? '');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(engine.models.importFile(projectId, truncated)).rejects.toThrow(/half\.onnx/);
    expect(engine.models.store.list(projectId).length).toBe(before);
  });

  it('says when a run has no checkpoint at the step asked for', async () => {
    await expect(engine.models.exportRun(runId, { checkpointStep: 999 })).rejects.toThrow(
      /no checkpoint at step 999/,
    );
  });

  it('refuses an export over the parity tolerance with the figure, writing nothing', async () => {
    const checkpoint = engine.training.runs.checkpoints(runId).at(-1)?.path ?? '';
    const out = join(tempDir(), 'strict.onnx');
    await expect(exportCheckpoint({ kind: 'export', checkpoint, out, tolerance: 0 })).rejects.toThrow(
      /Export refused: tfjs and ONNX Runtime \(cpu\) disagree by up to \d\.\d+e-\d+/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('the canvas', () => {
  it('opens any image into the project and translates a drawing of another size at the model size', async () => {
    const model = await engine.models.exportRun(runId, { name: 'canvas translator' });
    const opened = await engine.handlers['canvas:open']({ projectId, path: firstImage() });
    expect(opened).toMatchObject({ width: 64, height: 32, notes: [] });
    expect(existsSync(opened.path)).toBe(true);
    const drawing = await rawPixels(
      sharp({ create: { width: 90, height: 70, channels: 4, background: '#00000000' } }).composite([
        {
          input: { create: { width: 30, height: 20, channels: 4, background: '#000000ff' } },
          left: 10,
          top: 10,
        },
      ]),
    );
    const result = await engine.handlers['canvas:translate']({ modelId: model.id, image: drawing });
    expect(result).toMatchObject({ modelId: model.id, provider: 'cpu' });
    expect(result.pixels).toMatchObject({ width: 32, height: 32, channels: 3 });
    expect(result.pixels.data).toHaveLength(32 * 32 * 3);
    expect(result.notes.join(' ')).toMatch(/resized from 90×70 to 32×32/);
    const scaled = await engine.handlers['canvas:translate']({
      modelId: model.id,
      image: await rawPixels(sharp(firstImage()).resize(32, 32, { fit: 'fill' }).ensureAlpha()),
      pageSize: { width: 640, height: 320 },
    });
    expect(scaled.notes).toEqual([
      'resized from 640×320 to 32×32; the aspect ratio changed from 2.00 to 1.00, so the picture is stretched',
    ]);
    await expect(
      engine.handlers['canvas:fill']({ modelId: model.id, imagePath: opened.path, mask: PNG_DATA_URL }),
    ).rejects.toThrow(/takes no mask, so it cannot fill holes/);
  });

  it('names a drawing whose bytes do not match its size, and translates nothing', async () => {
    const model = await engine.models.exportRun(runId, { name: 'short drawing' });
    const short = { width: 32, height: 32, channels: 4 as const, data: new Uint8Array(100) };
    await expect(engine.handlers['canvas:translate']({ modelId: model.id, image: short })).rejects.toThrow(
      'The drawing holds 100 bytes, but 32×32 pixels of 4 channels need 4096.',
    );
  });

  it('colorizes a colour photo with a gray→color model as its gray version, with a note', async () => {
    const file = join(tempDir(), 'colorize.onnx');
    writeUnetModel(file, {}, { derived_input: 'gray2color' });
    const model = await engine.models.importFile(projectId, file, 'colorize');
    const photo = await sharp(firstImage()).resize(32, 32).removeAlpha().raw().toBuffer();
    const translate = async (rgb: Uint8Array) =>
      engine.handlers['canvas:translate']({
        modelId: model.id,
        image: { width: 32, height: 32, channels: 3, data: rgb },
      });
    const colour = await translate(photo);
    const gray = await translate(derivePair('gray2color', photo, 32, 32));
    expect(colour.notes).toEqual([
      'made gray first, as this gray→color model was trained on gray versions of photos',
    ]);
    expect(gray.notes).toEqual([]);
    expect(colour.pixels.data).toEqual(gray.pixels.data);
  });
});

describe('a colorization model trained with colour hints', () => {
  it('exports a hints input, translates without hints, and follows the hints it is given', async () => {
    const run = engine.training.start(projectId, {
      model: 'pix2pix',
      data: { root: data },
      size: 32,
      steps: 2,
      ngf: 4,
      ndf: 4,
      hints: true,
      sampleEvery: 2,
      checkpointEvery: 2,
      samples: 1,
      evalImages: 1,
      seed: 3,
    });
    expect(await engine.training.outcome(run.id)).toBe('done');
    const model = await engine.models.exportRun(run.id, { name: 'hinted' });
    expect(model.takesHints).toBe(true);
    expect(engine.models.store.description(model.id).hintInput).toBe('hints');
    expect(model.parityMaxAbs).toBeLessThanOrEqual(1e-4);
    const image = await rawPixels(
      sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } }),
    );
    const plain = await engine.handlers['canvas:translate']({ modelId: model.id, image });
    const dot = (side: number) =>
      rawPixels(
        sharp({ create: { width: side, height: side, channels: 4, background: '#00000000' } }).composite([
          {
            input: { create: { width: side / 5, height: side / 5, channels: 4, background: '#ff0000ff' } },
            left: (side * 2) / 5,
            top: (side * 2) / 5,
          },
        ]),
      );
    const hinted = await engine.handlers['canvas:translate']({
      modelId: model.id,
      image,
      hints: await dot(30),
    });
    expect(Buffer.from(hinted.pixels.data).equals(Buffer.from(plain.pixels.data))).toBe(false);
    const larger = await engine.handlers['canvas:translate']({
      modelId: model.id,
      image,
      hints: await dot(320),
    });
    expect(Buffer.from(larger.pixels.data).equals(Buffer.from(plain.pixels.data))).toBe(false);
  }, 120_000);
});
