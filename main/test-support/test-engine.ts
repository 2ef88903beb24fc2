import { createEngine, type Engine } from '../engine/engine';

/** An engine on `dataDir` as the plain-Node hosts create it, for tests. */
export function testEngine(dataDir: string, pickFolder?: (title?: string) => Promise<string | null>): Engine {
  return createEngine(dataDir, {
    version: '0.0.0-test',
    electron: null,
    chrome: null,
    capabilities: { nativeFolderDialog: Boolean(pickFolder), fileDropPaths: false },
    pickFolder,
  });
}
