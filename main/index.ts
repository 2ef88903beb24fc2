import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { APP_NAME, resolveDataDir } from './engine/data-dir';
import { createEngine, type Engine } from './engine/engine';
import { APP_VERSION } from './engine/version';
import { registerAppScheme, setupAppProtocol } from './electron/app-protocol';
import { setupIpc } from './electron/ipc';
import { createMainWindow } from './electron/main-window';
import { setupSecurity } from './electron/security';
import { utilityModelWorker } from './electron/utility-model-worker';
import { utilityTrainer } from './electron/utility-trainer';

const OUT_DIR = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD = join(OUT_DIR, 'preload', 'index.cjs');
const RENDERER_DIR = join(OUT_DIR, 'renderer');

/** better-sqlite3 built for Electron's ABI by `npm start`, when present. */
function electronSqliteBinding(): string | undefined {
  const path = join(OUT_DIR, 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

function setupEngine(): Engine {
  return createEngine(resolveDataDir(app.getPath('userData')), {
    version: APP_VERSION,
    electron: process.versions.electron ?? null,
    chrome: process.versions.chrome ?? null,
    capabilities: { nativeFolderDialog: true, fileDropPaths: true },
    spawnTrainer: utilityTrainer(join(OUT_DIR, 'main', 'trainer.js')),
    spawnModelWorker: utilityModelWorker(join(OUT_DIR, 'main', 'modelworker.js')),
    nativeBinding: electronSqliteBinding(),
    pickFolder: async (title) => {
      const parent = BrowserWindow.getFocusedWindow();
      const options = { title: title ?? 'Choose a folder', properties: ['openDirectory' as const] };
      const result = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
}

app.setName(APP_NAME);
registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

void app.whenReady().then(() => {
  let engine: Engine;
  try {
    engine = setupEngine();
  } catch (error) {
    dialog.showErrorBox('GAN Studio cannot start', (error as Error).message);
    app.exit(1);
    return;
  }
  setupSecurity();
  setupAppProtocol(RENDERER_DIR);
  setupIpc(ipcMain, engine);
  createMainWindow(PRELOAD);
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(PRELOAD);
  });
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping || engine.training.active().length === 0) return;
    // Runs get to finish their step and write a checkpoint before the app goes.
    event.preventDefault();
    stopping = true;
    void engine.training.stopAll(30_000).finally(() => app.quit());
  });
  app.on('will-quit', () => engine.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
