import { resolve } from 'node:path';
import { createEngine, type Engine } from '../engine/engine';
import { forkTrainer } from '../engine/training/trainer-host';
import { testModelWorker } from './test-model-worker';

/** The trainer entry run from source through tsx, so tests need no build. */
export const TRAINER_SOURCE = resolve(import.meta.dirname, '..', 'engine', 'training', 'trainer-child.ts');

/** An engine on `dataDir` as the plain-Node hosts create it, for tests. */
export function testEngine(dataDir: string, pickFolder?: (title?: string) => Promise<string | null>): Engine {
  return createEngine(dataDir, {
    version: '0.0.0-test',
    electron: null,
    chrome: null,
    capabilities: { nativeFolderDialog: Boolean(pickFolder), fileDropPaths: false },
    pickFolder,
    spawnTrainer: forkTrainer(TRAINER_SOURCE, ['--import', 'tsx']),
    spawnModelWorker: testModelWorker(),
  });
}
