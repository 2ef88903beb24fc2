import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { StudioError } from '../../engine/errors';
import { isImageName } from '../../engine/folder-listing';
import type { JobProgress, ModelHost } from '../../engine/inference/model-host';
import type { Output } from '../output';
import { UsageError } from '../output';
import { progressLine } from '../progress-bar';

/** What `ganstudio infer` was asked to do. */
export interface InferOptions {
  model: string;
  /** An image, or a folder of images. */
  input: string;
  outDir: string;
  /** A mask image (for every input), or a folder of masks paired with the inputs by file stem. */
  mask?: string;
  /** Inward soft edge of filled holes, in pixels (inpainting models). */
  feather?: number;
  provider?: string;
}

function kindOf(path: string, flag: string): 'file' | 'folder' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    throw new UsageError(`${flag} ${path} does not exist.`);
  }
}

function imagesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && isImageName(name))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

const stem = (path: string): string => basename(path, extname(path));

/** What was done to the images to fit the model, each note once with the images it concerns. */
export function noteLines(images: { input: string; notes: string[] }[]): string[] {
  const byNote = new Map<string, string[]>();
  for (const image of images)
    for (const note of image.notes) byNote.set(note, [...(byNote.get(note) ?? []), basename(image.input)]);
  return [...byNote].map(([note, names]) =>
    names.length === 1 ? `  ${names[0]}: ${note}` : `  ${names.length} images: ${note}`,
  );
}

/**
 * The images to run and their masks: a folder's images in name order, each with the mask of the
 * same stem from a mask folder ('' when it has none), or the one mask file for all.
 */
export function collectInputs(input: string, mask?: string): { inputs: string[]; masks?: string[] } {
  const inputPath = resolve(input);
  const inputs = kindOf(inputPath, '--in') === 'folder' ? imagesIn(inputPath) : [inputPath];
  if (inputs.length === 0) {
    throw new UsageError(`--in ${inputPath} holds no images (PNG, JPEG, WebP, BMP, TIFF or GIF).`, 1);
  }
  if (mask === undefined) return { inputs };
  const maskPath = resolve(mask);
  if (kindOf(maskPath, '--mask') === 'file') return { inputs, masks: inputs.map(() => maskPath) };
  const byStem = new Map<string, string>();
  for (const path of imagesIn(maskPath)) if (!byStem.has(stem(path))) byStem.set(stem(path), path);
  return { inputs, masks: inputs.map((path) => byStem.get(stem(path)) ?? '') };
}

function progressReporter(out: Output): { report: (p: JobProgress) => void; end: () => void } {
  const tty = !out.json && process.stderr.isTTY;
  const start = performance.now();
  let firstDone: { at: number; done: number } | null = null;
  let printedPercent = -1;
  let drawn = false;
  return {
    report: (p) => {
      if (out.json) return out.event({ type: 'progress', done: p.done, total: p.total }, '');
      const now = performance.now();
      firstDone ??= { at: now, done: p.done };
      const [from, count] =
        p.done > firstDone.done ? [firstDone.at, p.done - firstDone.done] : [start, Math.max(1, p.done)];
      const perSec = count / Math.max(1e-3, (now - from) / 1000);
      const line = progressLine(p.done, p.total, perSec, (p.total - p.done) / perSec, p.stage);
      if (tty) {
        process.stderr.write(`\r${line}\x1b[K`);
        drawn = true;
        return;
      }
      const percent = Math.floor((p.done / p.total) * 10) * 10;
      if (percent !== printedPercent) process.stderr.write(line + '\n');
      printedPercent = percent;
    },
    end: () => {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

/**
 * `ganstudio infer <model.onnx> --in <dir|image> --out <dir> [--mask <dir|image>] [--provider P]`:
 * runs the model on each image in the model worker, with a progress bar (JSON lines with
 * --json), then a summary with the provider, the count, the mean ms per image and every image
 * that failed with its reason. Exits 1 when an image failed; Ctrl+C cancels between images
 * (exit 130), a second Ctrl+C quits at once.
 */
export async function infer(host: ModelHost, options: InferOptions, out: Output): Promise<number> {
  const model = resolve(options.model);
  const outDir = resolve(options.outDir);
  const { inputs, masks } = collectInputs(options.input, options.mask);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nCancelling after the current image… (Ctrl+C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = progressReporter(out);
  try {
    const outcome = await host.run(
      { kind: 'infer', model, inputs, masks, outDir, provider: options.provider, feather: options.feather },
      { onProgress: progress.report, signal: controller.signal },
    );
    progress.end();
    const meanMs = outcome.images.length
      ? outcome.images.reduce((sum, i) => sum + i.ms, 0) / outcome.images.length
      : null;
    const result = {
      model,
      provider: outcome.provider,
      outDir,
      count: outcome.images.length,
      failed: outcome.failures.length,
      meanMs,
      images: outcome.images,
      failures: outcome.failures,
    };
    const summary = `Wrote ${outcome.images.length} of ${inputs.length} images to ${outDir} on ${outcome.provider}${meanMs === null ? '' : `, ${meanMs.toFixed(1)} ms per image on average`}.`;
    const failures = outcome.failures.map((f) => `  ${basename(f.input)}: ${f.message}`);
    const lines = [summary, ...noteLines(outcome.images)];
    if (failures.length) lines.push(`${failures.length} failed:`, ...failures);
    out.result(result, lines.join('\n'));
    return outcome.failures.length ? 1 : 0;
  } catch (error) {
    progress.end();
    if (!(error instanceof StudioError && error.code === 'cancelled')) throw error;
    if (out.json) out.result({ error: error.message, exitCode: 130 }, '');
    process.stderr.write(`ganstudio: ${error.message}\n`);
    return 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
