import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeShapePhotos } from '../engine/datasets/test-images';
import { describeOnnx } from '../../models/onnx/onnx-proto';
import { describeModel } from '../engine/inference/describe-model';
import { readCheckpoint } from '../engine/training/checkpoint-file';
import { LATENT_MIN_IMAGES } from '../engine/training/latent-data';
import { forkTrainer } from '../engine/training/trainer-host';
import { useTempDir } from '../test-support/temp-dir';
import { TRAINER_SOURCE } from '../test-support/test-engine';
import { testModelWorker } from '../test-support/test-model-worker';
import { main } from './index';

const tempDir = useTempDir();
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  vi.stubEnv('GANSTUDIO_HOME', tempDir());
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const host = () => ({
  spawnTrainer: forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']),
  spawnModelWorker: testModelWorker(),
});

/** A latent run that trains in seconds: 16 px, 4 filters, a code of 8, batches of 4. */
const TINY = ['--size', '16', '--ngf', '4', '--nz', '8', '--batch', '4'];

const last = (): Record<string, unknown> => JSON.parse(stdout.at(-1) ?? '') as Record<string, unknown>;

describe('ganstudio train latent', () => {
  it('refuses a folder with too few images before training, naming both counts', async () => {
    const photos = join(tempDir(), 'few');
    await writeShapePhotos(photos, 12, { size: 16 });
    const runDir = join(tempDir(), 'run');
    expect(await main(['train', 'latent', '--data', photos, ...TINY, '--out', runDir], host())).toBe(1);
    expect(stderr.join('')).toContain(
      `${photos} has 12 usable images; a latent GAN needs at least ${LATENT_MIN_IMAGES}`,
    );
    expect(existsSync(runDir)).toBe(false);
  });

  it('refuses latent settings on other models and sizes the generator cannot reach', async () => {
    expect(await main(['train', 'pix2pix', '--data', tempDir(), '--nz', '8'])).toBe(2);
    expect(stderr.join('')).toContain('--nz is a setting of the latent GAN, not of pix2pix.');
    stderr.length = 0;
    expect(await main(['train', 'latent', '--data', tempDir(), '--size', '48'])).toBe(1);
    expect(stderr.join('')).toContain('size: The latent GAN needs a power-of-two size from 16 to 256');
  });

  it('trains on mixed aspect ratios, resumes exactly, and exports a bundle that passes parity', async () => {
    const photos = join(tempDir(), 'photos');
    await writeShapePhotos(photos, LATENT_MIN_IMAGES, { size: 20, seed: 2, wideEvery: 3 });
    const runDir = join(tempDir(), 'run');
    const steps = ['--steps', '6', '--checkpoint-every', '3', '--sample-every', '3'];
    expect(
      await main(['train', 'latent', '--data', photos, ...TINY, ...steps, '--out', runDir, '--json'], host()),
    ).toBe(0);
    const lines = stdout.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(last()).toMatchObject({ status: 'done', step: 6 });
    const progress = lines.filter((l) => l.type === 'progress');
    expect(Object.keys(progress.at(-1)?.losses as object)).toEqual(
      expect.arrayContaining(['W', 'gp', 'E_z', 'E_x']),
    );
    const evalEvent = lines.find((l) => l.type === 'eval');
    expect(evalEvent).toMatchObject({ baseline: 'mean' });
    for (const key of ['l1', 'psnr', 'ssim', 'baselineL1', 'wasserstein'])
      expect(Number.isFinite(evalEvent?.[key])).toBe(true);
    expect(readdirSync(join(runDir, 'samples'))).toEqual(
      expect.arrayContaining(['step-0000000.png', 'step-0000003.png', 'step-0000006.png']),
    );

    // Resume from step 3 in a copy of the run: its step-6 weights must equal the straight run's.
    const resumed = join(tempDir(), 'resumed');
    cpSync(runDir, resumed, { recursive: true });
    rmSync(join(resumed, 'checkpoints', 'step-0000006.gsck'));
    stdout.length = 0;
    expect(await main(['train', '--resume', resumed, '--json'], host())).toBe(0);
    expect(last()).toMatchObject({ status: 'done', step: 6 });
    const straight = readCheckpoint(join(runDir, 'checkpoints', 'step-0000006.gsck'));
    const again = readCheckpoint(join(resumed, 'checkpoints', 'step-0000006.gsck'));
    const byName = new Map(again.tensors.map((t) => [t.name, t.tensor]));
    expect(again.tensors.map((t) => t.name).sort()).toEqual(straight.tensors.map((t) => t.name).sort());
    for (const { name, tensor } of straight.tensors) {
      const other = byName.get(name)!;
      expect(tf.max(tf.abs(tf.sub(tensor, other))).dataSync()[0], name).toBe(0);
    }
    tf.dispose([...straight.tensors, ...again.tensors].map((t) => t.tensor));

    stdout.length = 0;
    const dir = tempDir();
    const model = join(dir, 'm.onnx');
    const code = await main(['export', runDir, '--out', model, '--json'], host());
    expect(stderr.join('')).toBe('');
    expect(code).toBe(0);
    const exported = last();
    const bundle = [model, join(dir, 'm.encoder.onnx'), join(dir, 'm.latent.gsck')];
    expect(exported).toMatchObject({ kind: 'latent', size: [16, 16], nz: 8, files: bundle });
    expect(exported.generatorParityMaxAbs).toBeLessThanOrEqual(1e-4);
    expect(exported.encoderParityMaxAbs).toBeLessThanOrEqual(1e-4);
    expect(bundle.every((file) => existsSync(file))).toBe(true);

    const generator = await describeModel(model);
    expect(generator).toMatchObject({
      kind: 'latent',
      codeInput: { name: 'z', nz: 8 },
      height: 16,
      width: 16,
      outChannels: 3,
    });
    expect(generator.metadata).toMatchObject({
      model_kind: 'latent',
      nz: '8',
      latent_encoder: 'm.encoder.onnx',
      latent_weights: 'm.latent.gsck',
    });
    const weights = readCheckpoint(bundle[2]!);
    expect(weights.meta.config).toMatchObject({ model: 'latent', nz: 8, size: 16 });
    expect(weights.tensors.some((t) => t.name.startsWith('opt'))).toBe(false);
    expect(new Set(weights.tensors.map((t) => t.name.split('/')[0]))).toEqual(new Set(['G', 'D', 'E']));
    tf.dispose(weights.tensors.map((t) => t.tensor));
    const graph = describeOnnx(readFileSync(model));
    expect(graph.inputs).toEqual([{ name: 'z', elemType: 1, dims: ['batch', 8, 1, 1] }]);
    expect(graph.outputs).toEqual([{ name: 'output', elemType: 1, dims: ['batch', 3, 16, 16] }]);
    const encoder = describeOnnx(readFileSync(bundle[1]!));
    expect(encoder.inputs).toEqual([{ name: 'input', elemType: 1, dims: ['batch', 3, 16, 16] }]);
    expect(encoder.outputs).toEqual([{ name: 'z', elemType: 1, dims: ['batch', 8, 1, 1] }]);
    expect(encoder.metadata).toMatchObject({ model_kind: 'latent-encoder', latent_generator: 'm.onnx' });
    await expect(describeModel(bundle[1]!)).rejects.toThrow(
      "it is the encoder of a latent GAN bundle; open the bundle's generator m.onnx instead.",
    );

    stdout.length = 0;
    expect(await main(['infer', model, '--in', photos, '--out', join(dir, 'out'), '--json'], host())).toBe(1);
    expect(stderr.join('')).toContain('m.onnx is a latent generator: it makes images from latent codes');

    stdout.length = 0;
    expect(await main(['import', model, '--name', 'shapes', '--json'], host())).toBe(0);
    expect(last()).toMatchObject({ name: 'shapes', kind: 'latent', nz: 8 });
  }, 240_000);
});
