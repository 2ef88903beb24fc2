import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { writeInpaintModel, writeUnetModel } from '../../test-support/onnx-models';
import { derivePair } from '../datasets/derive-pairs';
import { StudioError } from '../errors';
import { readImageTensor } from './image-tensor';
import { outputPaths, runInference } from './run-inference';
import { SessionCache, type LoadedModel } from './session-cache';

const tempDir = useTempDir();
let cache = new SessionCache();

afterEach(async () => {
  await cache.clear();
  cache = new SessionCache();
});

async function solid(path: string, width: number, height: number, value: number): Promise<void> {
  await sharp({ create: { width, height, channels: 3, background: { r: value, g: 255 - value, b: 90 } } })
    .png()
    .toFile(path);
}

async function gradient(path: string, width: number, height: number): Promise<void> {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 1) data[i] = (i * 37) % 256;
  await sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
}

async function failure(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

describe('runInference', () => {
  it('writes each output at the model size, matching ONNX Runtime run directly', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const a = join(dir, 'a.png');
    const b = join(dir, 'b.png');
    await gradient(a, 32, 32);
    await solid(b, 64, 48, 200);
    const progress: number[] = [];
    const outcome = await runInference(
      { kind: 'infer', model, inputs: [a, b], outDir: join(dir, 'out'), provider: 'cpu' },
      cache,
      { onProgress: (_stage, done, total) => progress.push(done / total) },
    );
    expect(outcome.provider).toBe('cpu');
    expect(outcome.failures).toEqual([]);
    expect(progress).toEqual([0.5, 1]);
    expect(outcome.images.map((i) => i.output)).toEqual([
      join(dir, 'out', 'a.png'),
      join(dir, 'out', 'b.png'),
    ]);
    expect(outcome.images[0]!.notes).toEqual([]);
    expect(outcome.images[1]!.notes[0]).toMatch(/^resized from 64×48 to 32×32; the aspect ratio changed/);
    for (const image of outcome.images) expect(image.ms).toBeGreaterThan(0);

    const shape = { height: 32, width: 32, channels: 3, valueRange: '-1,1' };
    const session = await ort.InferenceSession.create(model);
    const input = await readImageTensor(a, shape);
    const direct = (await session.run({ input: new ort.Tensor('float32', input.data, [1, 3, 32, 32]) }))
      .output!.data as Float32Array;
    await session.release();
    const written = await sharp(outcome.images[0]!.output).raw().toBuffer();
    let worst = 0;
    for (let p = 0; p < 32 * 32; p += 1) {
      for (let c = 0; c < 3; c += 1) {
        const expected = Math.round((Math.min(1, Math.max(-1, direct[c * 1024 + p]!)) + 1) * 127.5);
        worst = Math.max(worst, Math.abs(written[p * 3 + c]! - expected));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('lists an unreadable image with its reason and goes on with the others', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model, { inChannels: 1, outChannels: 1, valueRange: '0,1' });
    const good = join(dir, 'good.png');
    const broken = join(dir, 'broken.png');
    const missing = join(dir, 'missing.png');
    await solid(good, 32, 32, 10);
    writeFileSync(broken, readFileSync(good).subarray(0, 40));
    const outcome = await runInference(
      { kind: 'infer', model, inputs: [broken, missing, good], outDir: join(dir, 'out') },
      cache,
    );
    expect(outcome.images.map((i) => i.input)).toEqual([good]);
    expect(outcome.images[0]!.notes).toEqual(['converted to grayscale']);
    expect((await sharp(outcome.images[0]!.output).metadata()).channels).toBe(1);
    expect(outcome.failures).toEqual([
      {
        input: broken,
        message: expect.stringMatching(new RegExp(`^Cannot read ${broken}: the file is damaged`)),
      },
      { input: missing, message: `Cannot read ${missing}: the file does not exist.` },
    ]);
  });

  it('colorizes a colour photo with a gray→color model as it would its gray version, saying so', async () => {
    const dir = tempDir();
    const model = join(dir, 'colorize.onnx');
    writeUnetModel(model, {}, { derived_input: 'gray2color' });
    const photo = join(dir, 'photo.png');
    await gradient(photo, 32, 32);
    const rgb = new Uint8Array(await sharp(photo).raw().toBuffer());
    const gray = join(dir, 'gray.png');
    await sharp(derivePair('gray2color', rgb, 32, 32), { raw: { width: 32, height: 32, channels: 3 } })
      .png()
      .toFile(gray);
    const outcome = await runInference(
      { kind: 'infer', model, inputs: [photo, gray], outDir: join(dir, 'out') },
      cache,
    );
    expect(outcome.failures).toEqual([]);
    const [fromPhoto, fromGray] = outcome.images;
    expect(fromPhoto!.notes).toEqual([
      'made gray first, as this gray→color model was trained on gray versions of photos',
    ]);
    expect(fromGray!.notes).toEqual([]);
    expect(await sharp(fromPhoto!.output).raw().toBuffer()).toEqual(
      await sharp(fromGray!.output).raw().toBuffer(),
    );

    const plain = join(dir, 'plain.onnx');
    writeUnetModel(plain);
    const asIs = await runInference(
      { kind: 'infer', model: plain, inputs: [photo, gray], outDir: join(dir, 'plain') },
      cache,
    );
    expect(asIs.images[0]!.notes).toEqual([]);
    expect(await sharp(asIs.images[0]!.output).raw().toBuffer()).not.toEqual(
      await sharp(asIs.images[1]!.output).raw().toBuffer(),
    );
  });

  it('stops between images when cancelled, saying how many were done', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const inputs = ['1', '2', '3'].map((n) => join(dir, `${n}.png`));
    for (const input of inputs) await solid(input, 32, 32, 50);
    let done = 0;
    const error = await failure(
      runInference({ kind: 'infer', model, inputs, outDir: join(dir, 'out') }, cache, {
        onProgress: (_s, d) => (done = d),
        isCancelled: () => done >= 1,
      }),
    );
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('Inference cancelled after 1 of 3 images.');
  });

  it('refuses a model file that is not ONNX, or missing, naming it', async () => {
    const dir = tempDir();
    const model = join(dir, 'truncated.onnx');
    writeUnetModel(model);
    writeFileSync(model, readFileSync(model).subarray(0, 100));
    const image = join(dir, 'x.png');
    await solid(image, 32, 32, 0);
    const job = { kind: 'infer' as const, model, inputs: [image], outDir: join(dir, 'out') };
    const bad = await failure(runInference(job, cache));
    expect(bad.code).toBe('bad-input');
    expect(bad.message).toMatch(/^truncated\.onnx: not an ONNX model, or the file is truncated/);
    const missing = await failure(runInference({ ...job, model: join(dir, 'nope.onnx') }, cache));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toContain(join(dir, 'nope.onnx'));
  });

  it('needs masks for an inpainting model, fills only the hole at the image size, and fails only the images whose mask is missing, empty or of another size', async () => {
    const dir = tempDir();
    const model = join(dir, 'inpaint.onnx');
    writeInpaintModel(model);
    const images = ['a', 'b', 'c'].map((n) => join(dir, `${n}.png`));
    for (const image of images) await solid(image, 20, 20, 120);
    const holes = join(dir, 'holes.png');
    const none = join(dir, 'none.png');
    const small = join(dir, 'small.png');
    await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000000' } })
      .composite([
        { input: { create: { width: 8, height: 6, channels: 3, background: '#ffffff' } }, left: 4, top: 5 },
      ])
      .png()
      .toFile(holes);
    await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000000' } })
      .png()
      .toFile(none);
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#ffffff' } })
      .png()
      .toFile(small);
    const job = { kind: 'infer' as const, model, inputs: images, outDir: join(dir, 'out') };

    const noMasks = await failure(runInference(job, cache));
    expect(noMasks.code).toBe('bad-input');
    expect(noMasks.message).toMatch(/^inpaint\.onnx is an inpainting model: it needs a mask for each image/);

    const outcome = await runInference({ ...job, masks: [holes, '', small] }, cache);
    expect(outcome.images.map((i) => i.input)).toEqual([images[0]]);
    expect(outcome.failures).toEqual([
      {
        input: images[1],
        message: `No mask was given for ${images[1]}; inpaint.onnx is an inpainting model and needs one.`,
      },
      {
        input: images[2],
        message: `The mask is 10×10 but the image c.png is 20×20; a mask must have its image's size.`,
      },
    ]);

    const filled = await sharp(outcome.images[0]!.output).raw().toBuffer({ resolveWithObject: true });
    expect(filled.info).toMatchObject({ width: 20, height: 20 });
    const original = await sharp(images[0]!).raw().toBuffer();
    for (let y = 0; y < 20; y += 1)
      for (let x = 0; x < 20; x += 1) {
        const p = (y * 20 + x) * 3;
        const inHole = x >= 4 && x < 12 && y >= 5 && y < 11;
        if (!inHole) expect(filled.data[p]).toBe(original[p]);
      }
    const empty = await runInference(
      { ...job, inputs: [images[0]!], masks: [none], outDir: join(dir, 'o2') },
      cache,
    );
    expect(empty.failures[0]?.message).toMatch(/^The mask is empty/);
  });

  it('refuses more masks than images', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const error = await failure(
      runInference(
        { kind: 'infer', model, inputs: ['a.png'], masks: ['m1.png', 'm2.png'], outDir: dir },
        cache,
      ),
    );
    expect(error.message).toBe(
      'The job gives 2 masks for 1 images; give at most one mask per image, in the same order.',
    );
  });
});

describe('outputPaths', () => {
  it('numbers shared stems and never overwrites an input', () => {
    expect(outputPaths(['/in/a.jpg', '/in/a.png', '/in/b.webp', '/out/c.png'], '/out')).toEqual([
      '/out/a.png',
      '/out/a-2.png',
      '/out/b.png',
      '/out/c-2.png',
    ]);
  });
});

describe('SessionCache', () => {
  function fakeLoader() {
    const released: string[] = [];
    let loads = 0;
    const load = async (path: string, provider?: string): Promise<LoadedModel> => {
      loads += 1;
      const name = `${path}#${loads}`;
      const session = { release: async () => void released.push(name) } as unknown as ort.InferenceSession;
      return {
        path,
        session,
        provider: provider ?? 'cpu',
        skipped: [],
        description: {} as LoadedModel['description'],
      };
    };
    return { load, released, loads: () => loads };
  }

  it('keeps a session per file and reopens a file that changed, releasing the old one', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.onnx');
    writeFileSync(path, 'x');
    const fake = fakeLoader();
    const sessions = new SessionCache(2, fake.load);
    const first = await sessions.get(path);
    expect(await sessions.get(path)).toBe(first);
    expect(fake.loads()).toBe(1);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const second = await sessions.get(path);
    expect(second).not.toBe(first);
    expect(fake.loads()).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(fake.released).toEqual([`${path}#1`]);
    expect(sessions.size).toBe(1);
  });

  it('releases the least recently used session beyond its capacity', async () => {
    const dir = tempDir();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `${n}.onnx`));
    for (const p of [a, b, c]) writeFileSync(p!, p!);
    const fake = fakeLoader();
    const sessions = new SessionCache(2, fake.load);
    await sessions.get(a!);
    await sessions.get(b!);
    await sessions.get(a!);
    await sessions.get(c!);
    await new Promise((r) => setImmediate(r));
    expect(fake.released).toEqual([`${b}#2`]);
    expect(sessions.size).toBe(2);
    await sessions.clear();
    expect(fake.released.sort()).toEqual([`${a}#1`, `${b}#2`, `${c}#3`].sort());
  });

  it('forgets a model that failed to open, so the next try opens it again', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.onnx');
    writeFileSync(path, 'x');
    let calls = 0;
    const sessions = new SessionCache(2, async () => {
      calls += 1;
      throw new StudioError('bad-input', 'no');
    });
    await expect(sessions.get(path)).rejects.toThrow('no');
    await expect(sessions.get(path)).rejects.toThrow('no');
    expect(calls).toBe(2);
    expect(sessions.size).toBe(0);
  });
});
