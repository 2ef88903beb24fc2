import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { constants, getPriority } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { writeUnetModel } from '../../test-support/onnx-models';
import { useTempDir } from '../../test-support/temp-dir';
import { fakeWorkers } from '../../test-support/fake-model-worker';
import { testModelWorker } from '../../test-support/test-model-worker';
import { StudioError } from '../errors';
import { writeCheckpoint } from '../training/checkpoint-file';
import { pix2pixFor } from '../training/held-out';
import { trainConfigSchema } from '../training/run-config';
import { selectBackend } from '../training/tf-backend';
import { ModelHost, type ModelWorkerProcess, type WorkerOptions } from './model-host';
import type { ModelJob } from './model-jobs';

const tempDir = useTempDir();
const hosts: ModelHost[] = [];

afterEach(() => {
  for (const host of hosts.splice(0)) host.close();
});

/** The real worker from source, counting the processes it starts and keeping them to kill. */
function realHost(options: WorkerOptions = {}): { host: ModelHost; started: ModelWorkerProcess[] } {
  const spawn = testModelWorker();
  const started: ModelWorkerProcess[] = [];
  const host = new ModelHost((o) => {
    const worker = spawn(o);
    started.push(worker);
    return worker;
  }, options);
  hosts.push(host);
  return { host, started };
}

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

async function images(dir: string, count: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const path = join(dir, `img-${String(i).padStart(3, '0')}.png`);
    await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: i * 5, g: 100, b: 200 } } })
      .png()
      .toFile(path);
    paths.push(path);
  }
  return paths;
}

/** A freshly initialised pix2pix checkpoint (32², ngf 4) in a run folder, as the trainer writes it. */
async function writeTestCheckpoint(dir: string): Promise<string> {
  await selectBackend('auto');
  const config = trainConfigSchema.parse({ model: 'pix2pix', data: { root: dir }, size: 32, ngf: 4, ndf: 4 });
  const model = pix2pixFor(config, 1);
  const path = join(dir, 'run', 'checkpoints', 'step-0000004.gsck');
  mkdirSync(join(dir, 'run', 'checkpoints'), { recursive: true });
  await writeCheckpoint(path, model.state(), { step: 4, config });
  model.dispose();
  return path;
}

describe('ModelHost with the real worker', () => {
  it('opens a model ahead of use, in a worker at below-normal priority when asked', async () => {
    const model = join(tempDir(), 'unet.onnx');
    writeUnetModel(model);
    const low = await realHost({ lowPriority: true }).host.run({ kind: 'warm', model });
    expect(low).toEqual({ provider: 'cpu', priority: constants.priority.PRIORITY_BELOW_NORMAL });
    const normal = await realHost().host.run({ kind: 'warm', model });
    expect(normal.priority).toBe(getPriority());
  });

  it.skipIf(process.platform === 'win32')(
    'pauses its worker mid-way and lets it go on (Windows has no SIGSTOP)',
    async () => {
      const model = join(tempDir(), 'unet.onnx');
      writeUnetModel(model);
      const { host } = realHost();
      await host.run({ kind: 'warm', model });
      host.pause(true);
      let answered = false;
      const again = host.run({ kind: 'warm', model }).then((r) => ((answered = true), r));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(answered).toBe(false);
      host.pause(false);
      expect((await again).provider).toBe('cpu');
    },
  );

  it('describes a model and runs inference with progress, in one worker', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const { host, started } = realHost();

    const description = await host.run({ kind: 'describe', model });
    expect(description).toMatchObject({
      kind: 'pix2pix',
      imageInput: 'input',
      maskInput: null,
      height: 32,
      width: 32,
      inChannels: 3,
      outChannels: 3,
      valueRange: '-1,1',
    });

    const inputs = await images(dir, 3);
    const progress: number[] = [];
    const outcome = await host.run(
      { kind: 'infer', model, inputs, outDir: join(dir, 'out'), provider: 'cpu' },
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(outcome.provider).toBe('cpu');
    expect(outcome.failures).toEqual([]);
    expect(outcome.images).toHaveLength(3);
    expect(outcome.images[0]!.notes[0]).toMatch(/^resized from 40×30 to 32×32/);
    expect(progress).toEqual([1, 2, 3]);
    const written = await sharp(outcome.images[2]!.output).metadata();
    expect([written.width, written.height]).toEqual([32, 32]);
    expect(started).toHaveLength(1);
  }, 60_000);

  it('exports a checkpoint, runs the exported model, and cancels an export before it writes', async () => {
    const dir = tempDir();
    const checkpoint = await writeTestCheckpoint(dir);
    const { host, started } = realHost();

    const controller = new AbortController();
    const refused = join(dir, 'cancelled.onnx');
    const cancelled = await rejection(
      host.run(
        { kind: 'export', checkpoint, out: refused },
        { signal: controller.signal, onProgress: () => controller.abort() },
      ),
    );
    expect(cancelled).toMatchObject({ code: 'cancelled', message: 'The export was cancelled.' });
    expect(existsSync(refused)).toBe(false);

    const out = join(dir, 'model.onnx');
    const stages: string[] = [];
    const exported = await host.run(
      { kind: 'export', checkpoint, out },
      { onProgress: (p) => stages.push(p.stage) },
    );
    expect(exported.path).toBe(out);
    expect(exported.parityMaxAbs).toBeLessThanOrEqual(1e-4);
    expect(exported.description).toMatchObject({ kind: 'pix2pix', height: 32, width: 32 });
    expect(stages.length).toBeGreaterThan(1);

    const [input] = await images(dir, 1);
    const outcome = await host.run({ kind: 'infer', model: out, inputs: [input!], outDir: join(dir, 'out') });
    expect(outcome.images).toHaveLength(1);
    expect(started).toHaveLength(1);
  }, 90_000);

  it('answers a bad model file or a malformed job with bad-input and keeps serving', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, 'this is not a protobuf model');
    const good = join(dir, 'good.onnx');
    writeUnetModel(good);
    const { host, started } = realHost();

    const error = await rejection(host.run({ kind: 'describe', model: bad }));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/^bad\.onnx: /);

    const malformed = await rejection(host.run({ kind: 'frobnicate' } as unknown as ModelJob));
    expect(malformed.code).toBe('bad-input');
    expect(malformed.message).toBe(
      'Unknown model job kind "frobnicate": expected export, infer, translate, warm, describe, fill or latent.',
    );

    const noInputs = await rejection(
      host.run({ kind: 'infer', model: good, outDir: dir } as unknown as ModelJob),
    );
    expect(noInputs.message).toBe('The infer job needs "inputs", a list of image paths.');

    expect((await host.run({ kind: 'describe', model: good })).height).toBe(32);
    expect(started).toHaveLength(1);
  }, 60_000);

  it('rejects the job of a worker that dies, and starts a new worker for the next job', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const inputs = await images(dir, 30);
    const { host, started } = realHost();
    const job = host.run(
      { kind: 'infer', model, inputs, outDir: join(dir, 'out') },
      { onProgress: (p) => p.done === 1 && started[0]!.kill() },
    );
    const error = await rejection(job);
    expect(error.code).toBe('internal');
    expect(error.message).toBe(
      'The model worker stopped unexpectedly (signal SIGKILL); the next job starts a new one.',
    );
    expect((await host.run({ kind: 'describe', model })).width).toBe(32);
    expect(started).toHaveLength(2);
  }, 60_000);

  it('cancels a running job through its AbortSignal, and the worker goes on', async () => {
    const dir = tempDir();
    const model = join(dir, 'unet.onnx');
    writeUnetModel(model);
    const inputs = await images(dir, 30);
    const { host, started } = realHost();
    const controller = new AbortController();
    const error = await rejection(
      host.run(
        { kind: 'infer', model, inputs, outDir: join(dir, 'out') },
        { signal: controller.signal, onProgress: (p) => p.done === 2 && controller.abort() },
      ),
    );
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/^Inference cancelled after \d+ of 30 images\.$/);
    const done = Number(/after (\d+)/.exec(error.message)![1]);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(30);
    expect(host.pendingJobs).toBe(0);

    const again = await host.run({
      kind: 'infer',
      model,
      inputs: inputs.slice(0, 1),
      outDir: join(dir, 'out'),
    });
    expect(again.images).toHaveLength(1);
    expect(started).toHaveLength(1);
  }, 60_000);
});

describe('ModelHost', () => {
  it('starts no worker for a job cancelled before it runs', async () => {
    const fake = fakeWorkers();
    const host = new ModelHost(fake.spawn);
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      host.run({ kind: 'describe', model: 'm.onnx' }, { signal: controller.signal }),
    );
    expect(error.message).toBe('The describe job was cancelled before it started.');
    expect(fake.sent).toEqual([]);
  });

  it("sends a cancel command for an aborted job and rejects with the worker's answer", async () => {
    const fake = fakeWorkers();
    const host = new ModelHost(fake.spawn);
    const controller = new AbortController();
    const job = host.run({ kind: 'describe', model: 'm.onnx' }, { signal: controller.signal });
    controller.abort();
    expect(fake.sent.map((c) => c.type)).toEqual(['job', 'cancel']);
    fake.reply({ type: 'error', id: fake.sent[0]!.id, code: 'cancelled', message: 'stopped' });
    expect((await rejection(job)).code).toBe('cancelled');
  });

  it('turns an unknown error code into internal, and names the exit code of a crash', async () => {
    const fake = fakeWorkers();
    const host = new ModelHost(fake.spawn);
    const first = host.run({ kind: 'describe', model: 'a.onnx' });
    fake.reply({ type: 'error', id: fake.sent[0]!.id, code: 'weird', message: 'odd' });
    expect(await rejection(first)).toMatchObject({ code: 'internal', message: 'odd' });
    const second = host.run({ kind: 'describe', model: 'b.onnx' });
    fake.exit(3);
    expect((await rejection(second)).message).toMatch(
      /^The model worker stopped unexpectedly \(exit code 3\)/,
    );
  });

  it('rejects with internal when the worker cannot be started, and tries again next time', async () => {
    let attempts = 0;
    const fake = fakeWorkers();
    const host = new ModelHost(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('no such file: modelworker.js');
      return fake.spawn();
    });
    const error = await rejection(host.run({ kind: 'describe', model: 'a.onnx' }));
    expect(error).toMatchObject({
      code: 'internal',
      message: 'The model worker could not be started: no such file: modelworker.js',
    });
    const second = host.run({ kind: 'describe', model: 'a.onnx' });
    expect(fake.sent.map((c) => c.type)).toEqual(['job']);
    host.close();
    expect((await rejection(second)).code).toBe('cancelled');
  });

  it('close kills the worker, rejects what was running and refuses later jobs', async () => {
    const fake = fakeWorkers();
    const host = new ModelHost(fake.spawn);
    const job = host.run({ kind: 'describe', model: 'a.onnx' });
    host.close();
    expect(fake.killed()).toBe(1);
    expect((await rejection(job)).code).toBe('cancelled');
    expect((await rejection(host.run({ kind: 'describe', model: 'a.onnx' }))).message).toBe(
      'The model host has been closed.',
    );
  });
});
