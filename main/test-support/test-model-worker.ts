import { resolve } from 'node:path';
import { forkModelWorker, type SpawnModelWorker } from '../engine/inference/model-host';

/** The model worker entry run from source through tsx, so tests need no build. */
export const MODEL_WORKER_SOURCE = resolve(
  import.meta.dirname,
  '..',
  'engine',
  'inference',
  'model-worker.ts',
);

/** Forks the model worker from source, as the CLI forks the built one. */
export function testModelWorker(): SpawnModelWorker {
  return forkModelWorker(MODEL_WORKER_SOURCE, ['--import', 'tsx']);
}
