// `npm start`: the Electron window where Electron's binary is present, else the web host.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from './build.js';
import { electronBinaryPath, electronPackageDir, ensureElectronSqlite } from './electron-runtime.js';

const ROOT = join(import.meta.dirname, '..');

/** The Electron executable, downloading it once if the install skipped that, with Electron's SQLite build. */
function electronBinary() {
  const dir = electronPackageDir();
  if (!dir) return { path: null, reason: 'the electron package is not installed' };
  if (!electronBinaryPath()) {
    process.stderr.write('Fetching the Electron runtime (once)…\n');
    const fetched = spawnSync(process.execPath, [join(dir, 'install.js')], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    });
    if (fetched.status !== 0 || !electronBinaryPath()) {
      const why =
        String(fetched.stderr ?? '')
          .split('\n')
          .find((l) => /Error/.test(l))
          ?.trim() ?? 'download failed';
      return {
        path: null,
        reason: `the Electron runtime is not on this machine and could not be downloaded (${why})`,
      };
    }
  }
  try {
    ensureElectronSqlite();
  } catch (error) {
    return { path: null, reason: error.message };
  }
  return { path: electronBinaryPath(), reason: null };
}

build();
const electron =
  process.env.GANSTUDIO_WEB === '1' ? { path: null, reason: 'GANSTUDIO_WEB=1' } : electronBinary();
const child = electron.path
  ? spawn(electron.path, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' })
  : (process.stderr.write(`No Electron window: ${electron.reason}; starting the web host instead.\n`),
    spawn(process.execPath, [join(ROOT, 'bin', 'ganstudio.js'), 'serve', ...process.argv.slice(2)], {
      stdio: 'inherit',
    }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
