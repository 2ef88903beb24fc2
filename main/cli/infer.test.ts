import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeDemoDataset } from '../engine/datasets/demo-dataset';
import { writeInpaintModel, writeUnetModel } from '../test-support/onnx-models';
import { useTempDir } from '../test-support/temp-dir';
import { testModelWorker } from '../test-support/test-model-worker';
import { main } from './index';

const tempDir = useTempDir();
const host = { spawnModelWorker: testModelWorker() };
let stdout: string[];
let stderr: string[];
let onStdout: (line: string) => void;

beforeEach(() => {
  stdout = [];
  stderr = [];
  onStdout = () => undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    onStdout(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  vi.stubEnv('GANSTUDIO_HOME', tempDir());
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function writeImages(dir: string, count: number, width = 48, height = 40): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const path = join(dir, `photo-${i}.png`);
    await sharp({ create: { width, height, channels: 3, background: { r: 20 * i, g: 90, b: 160 } } })
      .png()
      .toFile(path);
    paths.push(path);
  }
  return paths;
}

const jsonLines = (): Record<string, unknown>[] =>
  stdout.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('ganstudio infer', () => {
  it('runs a folder, lists the corrupt image with its reason and exits 1', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const images = await writeImages(join(dir, 'in'), 2);
    const corrupt = join(dir, 'in', 'photo-9.jpg');
    writeFileSync(corrupt, 'JFIF? no.');
    writeFileSync(join(dir, 'in', 'notes.txt'), 'not an image, not an input');
    const out = join(dir, 'out');

    const code = await main(['infer', model, '--in', join(dir, 'in'), '--out', out, '--json'], host);
    expect(code).toBe(1);
    const lines = jsonLines();
    expect(lines.filter((l) => l.type === 'progress').map((l) => l.done)).toEqual([1, 2, 3]);
    const result = lines.at(-1)!;
    expect(result).toMatchObject({ provider: expect.any(String), count: 2, failed: 1, outDir: out });
    expect(result.meanMs).toBeGreaterThan(0);
    expect(result.failures).toEqual([
      { input: corrupt, message: expect.stringMatching(new RegExp(`^Cannot read ${corrupt}: `)) },
    ]);
    for (const image of images) expect(existsSync(join(out, image.split('/').at(-1)!))).toBe(true);
  }, 60_000);

  it('prints a summary line for a single image and exits 0', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const [image] = await writeImages(dir, 1, 32, 32);
    expect(
      await main(['infer', model, '--in', image!, '--out', join(dir, 'out'), '--provider', 'cpu'], host),
    ).toBe(0);
    expect(stdout.join('')).toMatch(
      new RegExp(
        `^Wrote 1 of 1 images to ${join(dir, 'out')} on cpu, \\d+\\.\\d ms per image on average\\.\\n$`,
      ),
    );
  }, 60_000);

  it('pairs masks by file stem for an inpainting model and names the image without one', async () => {
    const dir = tempDir();
    const model = join(dir, 'inpaint.onnx');
    writeInpaintModel(model);
    const [withMask, withoutMask] = await writeImages(join(dir, 'in'), 2);
    mkdirSync(join(dir, 'masks'));
    await sharp({ create: { width: 48, height: 40, channels: 3, background: '#000000' } })
      .composite([
        { input: { create: { width: 10, height: 10, channels: 3, background: '#ffffff' } }, left: 5, top: 5 },
      ])
      .png()
      .toFile(join(dir, 'masks', 'photo-0.png'));

    const argv = ['infer', model, '--in', join(dir, 'in'), '--out', join(dir, 'out'), '--json'];
    expect(await main([...argv, '--mask', join(dir, 'masks')], host)).toBe(1);
    const result = jsonLines().at(-1)!;
    expect(result).toMatchObject({ count: 1, failed: 1, images: [{ input: withMask }] });
    expect(result.failures).toEqual([
      {
        input: withoutMask,
        message: `No mask was given for ${withoutMask}; inpaint.onnx is an inpainting model and needs one.`,
      },
    ]);

    stdout.length = 0;
    expect(await main(argv, host)).toBe(1);
    expect(jsonLines().at(-1)!.error).toMatch(/^inpaint\.onnx is an inpainting model: it needs a mask/);
  }, 60_000);

  it('cancels cleanly on Ctrl+C with exit code 130', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    await writeImages(join(dir, 'in'), 40);
    onStdout = (line) => {
      if (line.includes('"progress"')) {
        onStdout = () => undefined;
        const handler = process.listeners('SIGINT').at(-1) as () => void;
        handler();
      }
    };
    const code = await main(
      ['infer', model, '--in', join(dir, 'in'), '--out', join(dir, 'out'), '--json'],
      host,
    );
    expect(code).toBe(130);
    expect(jsonLines().at(-1)).toMatchObject({
      exitCode: 130,
      error: expect.stringMatching(/^Inference cancelled after \d+ of 40 images\.$/),
    });
    expect(stderr.join('')).toContain('Cancelling after the current image');
  }, 60_000);

  it.each([
    [['infer', 'm.onnx', '--in', 'x'], /Usage: ganstudio infer <model\.onnx>/],
    [
      ['infer', 'm.onnx', '--in', '/no/such/folder', '--out', '/tmp/x'],
      /--in \/no\/such\/folder does not exist\./,
    ],
  ])('exits 2 with a one-line reason for %j', async (argv, reason) => {
    expect(await main(argv, host)).toBe(2);
    expect(stderr.join('')).toMatch(reason);
  });

  it('names a model file that is not ONNX', async () => {
    const dir = tempDir();
    const model = join(dir, 'fake.onnx');
    writeFileSync(model, 'definitely not onnx');
    const [image] = await writeImages(dir, 1);
    expect(await main(['infer', model, '--in', image!, '--out', join(dir, 'out')], host)).toBe(1);
    expect(stderr.join('')).toMatch(/^ganstudio: fake\.onnx: not an ONNX model, or the file is truncated/);
  }, 60_000);
});

describe('ganstudio eval on an ONNX model', () => {
  it('measures L1, PSNR and SSIM on held-out pairs beside the copy-the-input baseline', async () => {
    const data = join(tempDir(), 'shapes');
    await writeDemoDataset(data, { count: 16, size: 32, seed: 4 });
    const model = join(tempDir(), 'unet.onnx');
    writeUnetModel(model);
    expect(await main(['eval', model, '--data', data, '--json'])).toBe(0);
    const evaluation = jsonLines().at(-1)!;
    expect(evaluation).toMatchObject({ model, split: 'test', pairs: 2, provider: expect.any(String) });
    for (const key of ['l1', 'psnr', 'ssim', 'baselineL1'])
      expect(Number.isFinite(evaluation[key])).toBe(true);
    expect(evaluation.l1).not.toBe(evaluation.baselineL1);
  }, 60_000);

  it('needs --data for an ONNX model', async () => {
    expect(await main(['eval', 'model.onnx'])).toBe(2);
    expect(stderr.join('')).toMatch(/needs --data <dir>: a dataset folder with held-out pairs/);
  });
});
