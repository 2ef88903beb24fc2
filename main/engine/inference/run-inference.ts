import { mkdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../errors';
import { refuseLatent } from './describe-model';
import { colorizesGray } from './derived-input';
import { fillHole } from './fill-hole';
import { readHintTensor, readImageTensor, readMaskTensor, writeImageTensor } from './image-tensor';
import type { InferJob, InferOutcome, InferredImage } from './model-jobs';
import type { LoadedModel, SessionCache } from './session-cache';

/** How a running inference reports and learns that it should stop. */
export interface InferenceControl {
  /** Called after each image, failed or not. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Checked before each image; true stops the job with a `cancelled` error. */
  isCancelled?: () => boolean;
}

/**
 * Output file names for inputs: `<stem>.png` in `outDir`, or `<stem>-2.png`, `-3`… when the name
 * is taken by another output or by an input (an input is never overwritten).
 */
export function outputPaths(inputs: string[], outDir: string): string[] {
  const taken = new Set(inputs.map((p) => resolve(p)));
  return inputs.map((input) => {
    const stem = basename(input, extname(input));
    let candidate = join(outDir, `${stem}.png`);
    for (let n = 2; taken.has(resolve(candidate)); n += 1) candidate = join(outDir, `${stem}-${n}.png`);
    taken.add(resolve(candidate));
    return candidate;
  });
}

function checkJob(job: InferJob, model: LoadedModel): void {
  refuseLatent(basename(job.model), model.description);
  if (job.masks && job.masks.length > job.inputs.length) {
    throw new StudioError(
      'bad-input',
      `The job gives ${job.masks.length} masks for ${job.inputs.length} images; give at most one mask per image, in the same order.`,
    );
  }
  if (model.description.maskInput && !job.masks?.some(Boolean)) {
    throw new StudioError(
      'bad-input',
      `${basename(job.model)} is an inpainting model: it needs a mask for each image (white where the picture should be filled in), and none was given.`,
    );
  }
}

/**
 * Runs an image model on its feeds and hands its float32 output to `use` before the output is
 * released; returns the model's own run time. ONNX Runtime's failures become StudioErrors
 * naming `what` (the input).
 */
export async function runImageModel(
  model: LoadedModel,
  feeds: Record<string, ort.Tensor>,
  what: string,
  use: (output: Float32Array) => unknown,
): Promise<number> {
  const d = model.description;
  const start = performance.now();
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    outputs = await model.session.run(feeds);
  } catch (error) {
    throw new StudioError(
      'internal',
      `ONNX Runtime failed on ${what}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const ms = performance.now() - start;
  try {
    const result = outputs[d.output];
    if (!result || !(result.data instanceof Float32Array)) {
      throw new StudioError('bad-input', `${basename(model.path)} gave no float32 output "${d.output}".`);
    }
    await use(result.data);
  } finally {
    for (const value of Object.values(outputs)) value.dispose();
  }
  return ms;
}

async function inferOne(
  model: LoadedModel,
  input: string,
  mask: string | undefined,
  output: string,
  o: { hints?: string } = {},
): Promise<InferredImage> {
  const d = model.description;
  const image = await readImageTensor(
    input,
    { height: d.height, width: d.width, channels: d.inChannels, valueRange: d.valueRange },
    { gray: colorizesGray(d.metadata) },
  );
  const feeds: Record<string, ort.Tensor> = {
    [d.imageInput]: new ort.Tensor('float32', image.data, [1, d.inChannels, d.height, d.width]),
  };
  if (d.maskInput) {
    if (!mask) {
      throw new StudioError(
        'bad-input',
        `No mask was given for ${input}; ${basename(model.path)} is an inpainting model and needs one.`,
      );
    }
    const size = { width: image.sourceWidth, height: image.sourceHeight };
    const maskData = await readMaskTensor(mask, { path: input, ...size }, d);
    feeds[d.maskInput] = new ort.Tensor('float32', maskData, [1, 1, d.height, d.width]);
  } else if (mask) {
    image.notes.push(`the mask ${basename(mask)} was ignored: ${basename(model.path)} takes no mask`);
  }
  if (d.hintInput) {
    feeds[d.hintInput] = new ort.Tensor('float32', await readHintTensor(o.hints, d), [
      1,
      4,
      d.height,
      d.width,
    ]);
  } else if (o.hints) {
    image.notes.push(`the colour hints were ignored: ${basename(model.path)} takes none`);
  }
  const ms = await runImageModel(model, feeds, input, (result) =>
    writeImageTensor(output, result, {
      height: d.height,
      width: d.width,
      channels: d.outChannels,
      valueRange: d.valueRange,
    }),
  );
  return { input, output, ms, notes: image.notes };
}

/** An inpainting model's result: the image at its own size with only the hole filled. */
async function fillOne(
  job: InferJob,
  cache: SessionCache,
  input: string,
  mask: string,
  output: string,
): Promise<InferredImage> {
  const filled = await fillHole(
    { kind: 'fill', model: job.model, image: input, mask, out: output, feather: job.feather },
    cache,
  );
  return { input, output, ms: filled.modelMs, notes: filled.notes };
}

/**
 * Runs an inference job in this process: the model from `cache` (opened and validated on first
 * use), then each image in turn, resized to the model's size, run, and written as a PNG in the
 * job's folder. An image that fails (unreadable, no mask or a mask of another size for an
 * inpainting model) is listed in `failures` with its reason and the others go on; `ms` is the
 * model's run time for that image. Cancellation is checked between images and throws a
 * `cancelled` StudioError saying how many were done. `masks[i]` belongs to `inputs[i]`; an
 * empty or missing entry means that image has no mask.
 */
export async function runInference(
  job: InferJob,
  cache: SessionCache,
  control: InferenceControl = {},
): Promise<InferOutcome> {
  if (job.inputs.length === 0) throw new StudioError('bad-input', 'The inference job has no images.');
  const model = await cache.get(job.model, job.provider);
  checkJob(job, model);
  try {
    mkdirSync(job.outDir, { recursive: true });
  } catch (error) {
    throw new StudioError(
      'io',
      `Cannot create the output folder ${job.outDir}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const outputs = outputPaths(job.inputs, job.outDir);
  const total = job.inputs.length;
  const outcome: InferOutcome = { provider: model.provider, images: [], failures: [] };
  for (let i = 0; i < total; i += 1) {
    if (control.isCancelled?.()) {
      throw new StudioError('cancelled', `Inference cancelled after ${i} of ${total} images.`);
    }
    const input = job.inputs[i]!;
    const mask = job.masks?.[i] || undefined;
    try {
      outcome.images.push(
        model.description.maskInput && mask
          ? await fillOne(job, cache, input, mask, outputs[i]!)
          : await inferOne(model, input, mask, outputs[i]!, {
              hints: job.hints?.[i] || undefined,
            }),
      );
    } catch (error) {
      outcome.failures.push({ input, message: (error as Error).message });
    }
    control.onProgress?.('inferring', i + 1, total);
  }
  return outcome;
}
