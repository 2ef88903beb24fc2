import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppInfo } from '../../preload/contract';
import { resolveDataDir } from '../engine/data-dir';
import { createEngine, type Engine } from '../engine/engine';
import { StudioError } from '../engine/errors';
import { APP_VERSION } from '../engine/version';
import { printInfo } from './commands/info';
import { serve } from './commands/serve';
import { createOutput, UsageError } from './output';

const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

const USAGE = `Usage: ganstudio <command> [options]   (every command takes --json)

  serve  [--port 4780] [--host 127.0.0.1]  the studio in your browser (--port 0: any free port)
  info                                   versions, data directory, backends, providers

Data directory: GANSTUDIO_HOME, else the desktop app's user data folder.`;

const PLANNED = new Set(['import', 'train', 'export', 'infer', 'eval', 'bench']);

function openEngine(): Engine {
  return createEngine(resolveDataDir(), {
    version: APP_VERSION,
    electron: null,
    chrome: null,
    capabilities: { nativeFolderDialog: false, fileDropPaths: false },
  });
}

/** Node's parseArgs, with its errors turned into usage errors (exit 2, one line). */
function parseOptions<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { json: { type: 'boolean' }, ...options } as T & { json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} Run ganstudio --help.`);
  }
}

function parsePort(value: string | undefined): number | null {
  if (value === undefined) return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${value}".`);
  return port;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const out = createOutput(json);
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      out.result({ usage: USAGE }, USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version') {
      out.result({ version: APP_VERSION }, APP_VERSION);
      return 0;
    }
    if (command === 'info') {
      parseOptions(rest, {});
      const engine = openEngine();
      try {
        const info = (await engine.handlers['app:info'](undefined)) as AppInfo;
        printInfo(info, out);
      } finally {
        engine.close();
      }
      return 0;
    }
    if (command === 'serve') {
      const { values } = parseOptions(rest, { port: { type: 'string' }, host: { type: 'string' } });
      const engine = openEngine();
      for (const notice of engine.catalog.notices)
        process.stderr.write(`${notice.level}: ${notice.message}\n`);
      try {
        await serve(
          engine,
          { host: values.host ?? '127.0.0.1', port: parsePort(values.port), rendererDir: RENDERER_DIR },
          out,
        );
      } finally {
        engine.close();
      }
      return 0;
    }
    if (PLANNED.has(command))
      throw new UsageError(`"${command}" is not available in this build of GAN Studio yet.`);
    throw new UsageError(`Unknown command "${command}". Run ganstudio --help for the list.`);
  } catch (error) {
    const exitCode = error instanceof UsageError ? error.exitCode : 1;
    const message =
      error instanceof UsageError || error instanceof StudioError
        ? error.message
        : `Unexpected error: ${(error as Error).stack ?? String(error)}`;
    if (json) process.stdout.write(JSON.stringify({ error: message.split('\n')[0], exitCode }) + '\n');
    process.stderr.write(`ganstudio: ${message}\n`);
    return exitCode;
  }
}
