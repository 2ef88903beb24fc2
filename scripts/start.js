// `npm start`: the Electron window where Electron's binary is present, else the web host.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** The Electron executable, downloading it once if the install skipped that; null when impossible. */
function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(dir, 'path.txt');
  const resolveBinary = () => (existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null);
  let binary = resolveBinary();
  if (!binary || !existsSync(binary)) {
    process.stderr.write('Fetching the Electron runtime (once)…\n');
    const fetched = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    binary = resolveBinary();
    if (fetched.status !== 0 || !binary || !existsSync(binary)) {
      const why = String(fetched.stderr ?? '').split('\n').find((l) => /Error/.test(l))?.trim() ?? 'download failed';
      return { path: null, reason: `the Electron runtime could not be downloaded (${why})` };
    }
  }
  return { path: binary, reason: null };
}

build();
const electron = process.env.GANSTUDIO_WEB === '1' ? { path: null, reason: 'GANSTUDIO_WEB=1' } : electronBinary();
const child = electron.path
  ? spawn(electron.path, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' })
  : (process.stderr.write(`No Electron window: ${electron.reason}; starting the web host instead.\n`),
    spawn(process.execPath, [join(ROOT, 'bin', 'ganstudio.js'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
