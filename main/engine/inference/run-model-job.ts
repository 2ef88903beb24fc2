import { getPriority } from 'node:os';
import { StudioError } from '../errors';
import { describeModel } from './describe-model';
import type { JobResults, ModelJob, WorkerReply } from './model-jobs';
import { fillHole } from './fill-hole';
import { runInference } from './run-inference';
import type { SessionCache } from './session-cache';
import { translateDrawing } from './translate-drawing';

/** How a job reports progress and learns that it was cancelled. */
export interface JobControl {
  progress: (stage: string, done: number, total: number) => void;
  isCancelled: () => boolean;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isPixels(value: unknown): boolean {
  const p = value as Record<string, unknown> | null;
  return (
    !!p &&
    typeof p === 'object' &&
    Number.isInteger(p.width) &&
    Number.isInteger(p.height) &&
    [1, 3, 4].includes(p.channels as number) &&
    p.data instanceof Uint8Array
  );
}

/** Checks the shape of a job that came over IPC; a `bad-input` StudioError says what is wrong. */
export function checkModelJob(job: unknown): ModelJob {
  const j = job as Record<string, unknown> | null;
  if (!j || typeof j !== 'object') throw new StudioError('bad-input', 'A model job must be an object.');
  const needs = (...fields: string[]): void => {
    for (const field of fields) {
      if (typeof j[field] !== 'string' || j[field] === '') {
        throw new StudioError(
          'bad-input',
          `The ${String(j.kind)} job needs "${field}" (a path), got ${JSON.stringify(j[field])}.`,
        );
      }
    }
  };
  switch (j.kind) {
    case 'export':
      needs('checkpoint', 'out');
      break;
    case 'describe':
      needs('model');
      break;
    case 'infer':
      needs('model', 'outDir');
      if (!isStringList(j.inputs))
        throw new StudioError('bad-input', 'The infer job needs "inputs", a list of image paths.');
      if (j.feather !== undefined && !(typeof j.feather === 'number' && j.feather >= 0 && j.feather <= 64))
        throw new StudioError('bad-input', 'The infer job\'s "feather" must be a number from 0 to 64.');
      if (j.hints !== undefined && !isStringList(j.hints))
        throw new StudioError('bad-input', 'The infer job\'s "hints" must be a list of paths.');
      if (j.masks !== undefined && !isStringList(j.masks)) {
        throw new StudioError('bad-input', 'The infer job\'s "masks" must be a list of paths.');
      }
      break;
    case 'translate':
      needs('model');
      if (!isPixels(j.image))
        throw new StudioError(
          'bad-input',
          'The translate job needs "image": pixels with a width, height and channels.',
        );
      if (j.hints !== undefined && !isPixels(j.hints))
        throw new StudioError(
          'bad-input',
          'The translate job\'s "hints" must be pixels with a width, height and channels.',
        );
      break;
    case 'warm':
      needs('model');
      break;
    case 'fill':
      needs('model', 'image', 'mask', 'out');
      if (j.feather !== undefined && !(typeof j.feather === 'number' && j.feather >= 0 && j.feather <= 64))
        throw new StudioError('bad-input', 'The fill job\'s "feather" must be a number from 0 to 64.');
      break;
    case 'latent':
      needs('model', 'op');
      break;
    default:
      throw new StudioError(
        'bad-input',
        `Unknown model job kind ${JSON.stringify(j.kind)}: expected export, infer, translate, warm, describe, fill or latent.`,
      );
  }
  return j as unknown as ModelJob;
}

/**
 * Runs one model job: export through `exportCheckpoint`, inference through `runInference` with
 * `cache`, description through `describeModel`, latent editing through `runLatentJob`. An export notices cancellation at its next stage;
 * its module (and tfjs with it) loads only when an export is asked for.
 */
export async function runModelJob(
  job: unknown,
  cache: SessionCache,
  control: JobControl,
): Promise<JobResults[keyof JobResults]> {
  const checked = checkModelJob(job);
  switch (checked.kind) {
    case 'export': {
      const { exportCheckpoint } = await import('../export/export-checkpoint');
      return exportCheckpoint(checked, (stage, done, total) => {
        if (done < total && control.isCancelled())
          throw new StudioError('cancelled', 'The export was cancelled.');
        control.progress(stage, done, total);
      });
    }
    case 'infer':
      return runInference(checked, cache, { onProgress: control.progress, isCancelled: control.isCancelled });
    case 'translate':
      return translateDrawing(checked, cache);
    case 'warm':
      return { provider: (await cache.get(checked.model)).provider, priority: getPriority() };
    case 'describe':
      return describeModel(checked.model, { measureLatency: checked.measureLatency });
    case 'fill':
      return fillHole(checked, cache);
    case 'latent': {
      const { runLatentJob } = await import('../latent/run-latent-job');
      return runLatentJob(checked, cache);
    }
  }
}

/** The reply for a job that failed: StudioError codes kept, anything else `internal`. */
export function errorReply(id: number, error: unknown): Extract<WorkerReply, { type: 'error' }> {
  if (error instanceof StudioError) return { type: 'error', id, code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return {
    type: 'error',
    id,
    code: 'internal',
    message: message || 'The model job failed without a message.',
  };
}
