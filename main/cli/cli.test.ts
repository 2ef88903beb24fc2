import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderDemoPair, writeDemoDataset } from '../engine/datasets/demo-dataset';
import { writePng } from '../engine/datasets/image-io';
import { readOnnxInfo } from '../engine/inference/describe-model';
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

describe('ganstudio CLI', () => {
  it('info --json prints one JSON object with backends and providers', async () => {
    expect(await main(['info', '--json'])).toBe(0);
    expect(stdout).toHaveLength(1);
    const info = JSON.parse(stdout[0] ?? '');
    expect(info.dataDir).toBe(process.env.GANSTUDIO_HOME);
    expect(info.trainingBackends.length).toBe(3);
  });

  it('info prints a human summary', async () => {
    expect(await main(['info'])).toBe(0);
    expect(stdout.join('')).toMatch(/training backends \(tried in this order\):\n {2}(yes|no ) node/);
  });

  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['serve', '--port', 'abc'], /--port must be an integer from 0 to 65535, got "abc"/],
    [['serve', '--colour'], /Unknown option '--colour'/],
    [
      ['train', 'stargan'],
      /"stargan" is not a model GAN Studio trains; pix2pix, cyclegan, inpaint and latent are/,
    ],
    [['train', 'cyclegan'], /cyclegan needs --data/],
    [['train', 'pix2pix'], /needs --data/],
    [['export', 'runs/1'], /Usage: ganstudio export <runDir\|checkpoint> --out <model.onnx>/],
  ])('exits 2 with a one-line reason for %j', async (argv, reason) => {
    expect(await main(argv)).toBe(2);
    expect(stderr.join('')).toMatch(reason);
    expect(stderr.join('').trim().split('\n')).toHaveLength(1);
  });

  it('with --json the last line is the error object', async () => {
    expect(await main(['serve', '--port', '70000', '--json'])).toBe(2);
    expect(JSON.parse(stdout.at(-1) ?? '')).toMatchObject({
      exitCode: 2,
      error: expect.stringMatching(/--port/),
    });
  });

  it('serve names a port that is taken and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    expect(await main(['serve', '--port', String(port)])).toBe(1);
    expect(stderr.join('')).toContain(
      `Port ${port} on 127.0.0.1 is already in use: pick another with --port.`,
    );
    blocker.close();
  });

  it('imports, trains with JSON progress lines, and evaluates a run', async () => {
    const data = join(tempDir(), 'shapes');
    await writeDemoDataset(data, { count: 16, size: 32, seed: 4 });
    const host = {
      spawnTrainer: forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']),
      spawnModelWorker: testModelWorker(),
    };

    expect(await main(['import', data, '--json', '--size', '32'], host)).toBe(0);
    expect(JSON.parse(stdout.at(-1) ?? '')).toMatchObject({
      mode: 'aligned',
      counts: { train: 12, val: 2, test: 2 },
    });

    stdout.length = 0;
    const runDir = join(tempDir(), 'run');
    const argv = [
      'train',
      'pix2pix',
      '--data',
      data,
      '--size',
      '32',
      '--steps',
      '4',
      '--ngf',
      '4',
      '--out',
      runDir,
      '--json',
    ];
    expect(await main(argv, host)).toBe(0);
    const lines = stdout.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'started', totalSteps: 4 });
    expect(lines.some((l) => l.type === 'progress')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ status: 'done', step: 4, runDir });

    stdout.length = 0;
    expect(await main(['eval', runDir, '--json'], host)).toBe(0);
    const evaluation = JSON.parse(stdout.at(-1) ?? '');
    expect(evaluation).toMatchObject({ split: 'test', pairs: 2 });
    for (const key of ['l1', 'psnr', 'ssim', 'baselineL1'])
      expect(Number.isFinite(evaluation[key])).toBe(true);

    stdout.length = 0;
    const model = join(tempDir(), 'shapes.onnx');
    expect(await main(['export', runDir, '--out', model, '--json'], host)).toBe(0);
    const exported = JSON.parse(stdout.at(-1) ?? '');
    expect(exported).toMatchObject({ path: model, kind: 'pix2pix', size: [32, 32], provider: 'cpu' });
    expect(exported.parityMaxAbs).toBeLessThanOrEqual(1e-4);
    expect(existsSync(model)).toBe(true);

    stdout.length = 0;
    expect(await main(['import', model, '--name', 'shapes', '--json'], host)).toBe(0);
    expect(JSON.parse(stdout.at(-1) ?? '')).toMatchObject({
      name: 'shapes',
      source: 'import',
      kind: 'pix2pix',
    });
  }, 180_000);

  it('trains an inpainting GAN on a single folder, exports it with its mask input, and scores both inside seeded holes', async () => {
    const photos = join(tempDir(), 'photos');
    mkdirSync(photos);
    for (let i = 0; i < 10; i += 1) {
      const { b } = renderDemoPair(48, 3, i);
      await writePng(join(photos, `photo-${i}.png`), b, 48, 48);
    }
    const host = {
      spawnTrainer: forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']),
      spawnModelWorker: testModelWorker(),
    };
    const runDir = join(tempDir(), 'run');
    const train = ['train', 'inpaint', '--data', photos, '--size', '32', '--steps', '2', '--ngf', '4'];
    expect(await main([...train, '--out', runDir, '--json'], host)).toBe(0);
    expect(JSON.parse(stdout.at(-1) ?? '')).toMatchObject({ status: 'done', step: 2 });

    const scores = async (target: string, extra: string[]): Promise<Record<string, number>> => {
      stdout.length = 0;
      expect(await main(['eval', target, ...extra, '--json'], host)).toBe(0);
      return JSON.parse(stdout.at(-1) ?? '') as Record<string, number>;
    };
    const fromCheckpoint = await scores(runDir, []);
    expect(fromCheckpoint).toMatchObject({ maskSeed: 424_242 });
    for (const key of ['l1', 'psnr', 'ssim', 'baselineL1', 'baselinePsnr', 'baselineSsim'])
      expect(Number.isFinite(fromCheckpoint[key])).toBe(true);

    stdout.length = 0;
    const model = join(tempDir(), 'inpaint.onnx');
    expect(await main(['export', runDir, '--out', model, '--json'], host)).toBe(0);
    const exported = JSON.parse(stdout.at(-1) ?? '');
    expect(exported).toMatchObject({ kind: 'inpaint', size: [32, 32] });
    expect(exported.parityMaxAbs).toBeLessThanOrEqual(1e-4);

    const fromOnnx = await scores(model, ['--data', photos]);
    expect(fromOnnx.images).toBe(fromCheckpoint.images);
    expect(fromOnnx.l1).toBeCloseTo(fromCheckpoint.l1!, 4);
    expect(fromOnnx.baselineL1).toBe(fromCheckpoint.baselineL1);
  }, 180_000);

  /** What `eval --json` prints for a hinted model. */
  interface Scores {
    pairs: number;
    l1: number;
    psnr: number;
    ssim: number;
    baselineL1: number;
    withHints: { l1: number; psnr: number; ssim: number };
  }

  it('colorizes with hints: eval scores without and with seeded hints, the export is gray→color and makes a colour photo gray', async () => {
    const photos = join(tempDir(), 'photos');
    mkdirSync(photos);
    for (let i = 0; i < 10; i += 1) {
      const { b } = renderDemoPair(32, 3, i);
      await writePng(join(photos, `photo-${i}.png`), b, 32, 32);
    }
    const host = {
      spawnTrainer: forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']),
      spawnModelWorker: testModelWorker(),
    };
    const runDir = join(tempDir(), 'run');
    const train = ['train', 'pix2pix', '--data', photos, '--derive', 'gray2color', '--hints'];
    const tiny = ['--size', '32', '--steps', '2', '--ngf', '4'];
    expect(await main([...train, ...tiny, '--out', runDir, '--json'], host)).toBe(0);
    expect(JSON.parse(stdout.at(-1) ?? '')).toMatchObject({ status: 'done', step: 2 });

    const scores = async (target: string, extra: string[]): Promise<Scores> => {
      stdout.length = 0;
      expect(await main(['eval', target, ...extra, '--json'], host)).toBe(0);
      return JSON.parse(stdout.at(-1) ?? '') as Scores;
    };
    const fromCheckpoint = await scores(runDir, []);
    expect(fromCheckpoint.pairs).toBeGreaterThan(0);
    for (const key of ['l1', 'psnr', 'ssim', 'baselineL1'] as const)
      expect(Number.isFinite(fromCheckpoint[key])).toBe(true);
    for (const key of ['l1', 'psnr', 'ssim'] as const)
      expect(Number.isFinite(fromCheckpoint.withHints[key])).toBe(true);
    expect(fromCheckpoint.withHints.l1).not.toBe(fromCheckpoint.l1);

    stdout.length = 0;
    expect(await main(['eval', runDir], host)).toBe(0);
    expect(stdout.join('')).toMatch(
      /pairs: without hints L1 [\d.]+ \(copy-the-input [\d.]+\), PSNR [\d.]+ dB, SSIM [\d.]+; with seeded simulated hints \(as in training\) L1 [\d.]+, PSNR/,
    );

    stdout.length = 0;
    const model = join(tempDir(), 'colorize.onnx');
    expect(await main(['export', runDir, '--out', model, '--json'], host)).toBe(0);
    expect(JSON.parse(stdout.at(-1) ?? '').parityMaxAbs).toBeLessThanOrEqual(1e-4);
    expect(readOnnxInfo(model).metadata).toMatchObject({ derived_input: 'gray2color', hint_input: 'hints' });

    const fromOnnx = await scores(model, ['--data', photos]);
    expect(fromOnnx.pairs).toBe(fromCheckpoint.pairs);
    expect(fromOnnx.l1).toBeCloseTo(fromCheckpoint.l1, 3);
    expect(fromOnnx.withHints.l1).toBeCloseTo(fromCheckpoint.withHints.l1, 3);

    stdout.length = 0;
    const photo = join(photos, 'photo-0.png');
    expect(await main(['infer', model, '--in', photo, '--out', join(tempDir(), 'out')], host)).toBe(0);
    expect(stdout.join('')).toContain(
      '  photo-0.png: made gray first, as this gray→color model was trained on gray versions of photos',
    );
  }, 180_000);

  it('names a dataset folder that does not exist', async () => {
    const missing = join(tempDir(), 'missing');
    expect(await main(['train', 'pix2pix', '--data', missing, '--steps', '2'])).toBe(1);
    expect(stderr.join('')).toContain(`The dataset folder ${missing} does not exist.`);
  });

  it('prints usage and fails without a command', async () => {
    expect(await main([])).toBe(2);
    expect(stdout.join('')).toMatch(/Usage: ganstudio <command>/);
  });
});
