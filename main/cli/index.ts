import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MASK_DESIGN, type MaskDesign } from '../../models/masks';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppInfo } from '../../preload/contract';
import { resolveDataDir } from '../engine/data-dir';
import type { DatasetMode } from '../engine/datasets/dataset-report';
import { createEngine, type Engine } from '../engine/engine';
import { StudioError } from '../engine/errors';
import { BACKEND_CHOICES } from '../engine/training/run-config';
import { forkTrainer, type SpawnTrainer } from '../engine/training/trainer-host';
import { forkModelWorker, ModelHost, type SpawnModelWorker } from '../engine/inference/model-host';
import { APP_VERSION } from '../engine/version';
import { bench } from './commands/bench';
import { evaluate } from './commands/eval';
import { infer } from './commands/infer';
import { exportModel } from './commands/export';
import { importDataset, importModel } from './commands/import';
import { printInfo } from './commands/info';
import { serve } from './commands/serve';
import { train } from './commands/train';
import { createOutput, UsageError } from './output';

const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
const TRAINER_SCRIPT = fileURLToPath(new URL('./trainer.js', import.meta.url));
const MODEL_WORKER_SCRIPT = fileURLToPath(new URL('./modelworker.js', import.meta.url));

const USAGE = `Usage: ganstudio <command> [options]   (every command takes --json)

  serve  [--port 4780] [--host 127.0.0.1]   the studio in your browser (--port 0: any free port)
  info                                   versions, data directory, backends, providers
  import <dir> [--mode aligned|paired|single|unaligned] [--name N] [--second <dir>] [--size 128]
  import <model.onnx> [--name N]         an image-to-image ONNX model, validated, into the catalog
  train  pix2pix|cyclegan|inpaint|latent --data <dir> [--size 128] [--steps N|--epochs N] [--batch 1]
         [--backend auto|node|wasm|cpu] [--out <runDir>] [--mode M] [--derive gray2color|edges2photo]
         [--direction AtoB|BtoA] [--seed 0] [--ngf 64] [--sample-every 100] [--checkpoint-every 500]
         cyclegan: --data <dir with trainA/ trainB/> or --data <A dir> --second <B dir>; [--blocks 6|9]
         inpaint: --data <any image folder or dataset>; [--mask-design <design.json>] (training holes)
         pix2pix --hints: also learn from simulated colour hints (colorization steered by points)
         latent: --data <any image folder or dataset, at least 100 images> [--size 64|128 (32 for quick tries)]
         [--nz 100] [--n-critic 5] [--spectral-norm] (WGAN-GP + an encoder; batch 16, each image's
         centred square; export writes m.onnx, m.encoder.onnx and m.latent.gsck)
  train  --resume <runDir>
  export <runDir|checkpoint> --out <model.onnx> [--direction AtoB|BtoA]
         prints parity (max abs diff tfjs vs ONNX Runtime; refused above 1e-4) and latency
         (a latent run: the generator, its encoder <model>.encoder.onnx and <model>.latent.gsck)
  eval   <runDir|checkpoint> [--data <dir>] [--limit 100]
  eval   <model.onnx> --data <dir> [--limit 100]
  infer  <model.onnx> --in <dir|image> --out <dir> [--mask <dir|image>] [--feather 0] [--provider cpu|cuda|…]
         (inpainting models fill only the mask's white hole, at the image's own size)
         (exit 1 when an image failed; Ctrl+C cancels between images)
  bench  train [--model pix2pix|cyclegan|inpaint|latent] [--size 128] [--steps 3] [--ngf 64] [--backend auto]
  bench  infer [--model pix2pix|cyclegan] [--size 128] [--steps 20] [--ngf 64] [--threads N]
         [--norm batch|instance|none] [--onnx <file> | --vs <file>] [--unsplit]   ms/image in ONNX Runtime (CPU)

Data directory: GANSTUDIO_HOME, else the desktop app's user data folder.`;

/** What the CLI can be given instead of its defaults (tests run the trainer from source). */
export interface CliHost {
  spawnTrainer?: SpawnTrainer;
  spawnModelWorker?: SpawnModelWorker;
}

let host: CliHost = {};

function openEngine(): Engine {
  return createEngine(resolveDataDir(), {
    version: APP_VERSION,
    electron: null,
    chrome: null,
    capabilities: { nativeFolderDialog: false, fileDropPaths: false },
    spawnTrainer: host.spawnTrainer ?? forkTrainer(TRAINER_SCRIPT),
    spawnModelWorker: host.spawnModelWorker ?? forkModelWorker(MODEL_WORKER_SCRIPT),
  });
}

async function withEngine<T>(work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = openEngine();
  for (const notice of engine.catalog.notices) process.stderr.write(`${notice.level}: ${notice.message}\n`);
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

/** Node's parseArgs, with its errors turned into usage errors (exit 2, one line). */
function parseOptions<T extends ParseArgsConfig['options']>(args: string[], options: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: positionals > 0,
      options: { json: { type: 'boolean' }, ...options } as T & { json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} Run ganstudio --help.`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}". Run ganstudio --help.`);
  }
  return parsed;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}".`);
  return n;
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${value}".`);
  return value as T;
}

/** A mask design from a JSON file (checked with the rest of the run's configuration). */
function readMaskDesign(path: string): MaskDesign {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--mask-design: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  try {
    return { ...DEFAULT_MASK_DESIGN, ...(JSON.parse(text) as Partial<MaskDesign>) };
  } catch {
    throw new UsageError(`--mask-design: ${path} is not JSON.`);
  }
}

const MODES: readonly DatasetMode[] = ['aligned', 'paired', 'single', 'unaligned'];

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], cliHost: CliHost = {}): Promise<number> {
  host = cliHost;
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
    switch (command) {
      case 'info': {
        parseOptions(rest, {});
        await withEngine(async (engine) =>
          printInfo((await engine.handlers['app:info'](undefined)) as AppInfo, out),
        );
        return 0;
      }
      case 'serve': {
        const { values } = parseOptions(rest, { port: { type: 'string' }, host: { type: 'string' } });
        const port = integer('port', values.port, 0, 65535) ?? null;
        await withEngine((engine) =>
          serve(engine, { host: values.host ?? '127.0.0.1', port, rendererDir: RENDERER_DIR }, out),
        );
        return 0;
      }
      case 'import': {
        const { values, positionals } = parseOptions(
          rest,
          {
            mode: { type: 'string' },
            name: { type: 'string' },
            second: { type: 'string' },
            size: { type: 'string' },
          },
          1,
        );
        const root = positionals[0];
        if (!root) throw new UsageError('Usage: ganstudio import <dir> [--mode aligned|paired|single]');
        if (root.toLowerCase().endsWith('.onnx')) {
          await withEngine((engine) => importModel(engine, root, values.name, out));
          return 0;
        }
        await withEngine((engine) =>
          importDataset(
            engine,
            root,
            {
              mode: oneOf('mode', values.mode, MODES),
              name: values.name,
              second: values.second,
              size: integer('size', values.size, 16, 4096) ?? 128,
            },
            out,
          ),
        );
        return 0;
      }
      case 'train': {
        const { values, positionals } = parseOptions(
          rest,
          {
            data: { type: 'string' },
            second: { type: 'string' },
            mode: { type: 'string' },
            derive: { type: 'string' },
            direction: { type: 'string' },
            size: { type: 'string' },
            steps: { type: 'string' },
            epochs: { type: 'string' },
            batch: { type: 'string' },
            backend: { type: 'string' },
            out: { type: 'string' },
            resume: { type: 'string' },
            seed: { type: 'string' },
            ngf: { type: 'string' },
            'sample-every': { type: 'string' },
            'checkpoint-every': { type: 'string' },
            blocks: { type: 'string' },
            'mask-design': { type: 'string' },
            hints: { type: 'boolean' },
            nz: { type: 'string' },
            'n-critic': { type: 'string' },
            'spectral-norm': { type: 'boolean' },
          },
          1,
        );
        if (values.resume)
          return await withEngine((engine) => train(engine, { resume: values.resume as string }, out));
        const model = positionals[0];
        if (model !== 'pix2pix' && model !== 'cyclegan' && model !== 'inpaint' && model !== 'latent') {
          throw new UsageError(
            model
              ? `"${model}" is not a model GAN Studio trains; pix2pix, cyclegan, inpaint and latent are.`
              : 'Usage: ganstudio train pix2pix|cyclegan|inpaint|latent --data <dir> (or --resume <runDir>)',
          );
        }
        const latentOnly = (['nz', 'n-critic', 'spectral-norm'] as const).find(
          (name) => values[name] !== undefined && model !== 'latent',
        );
        if (latentOnly)
          throw new UsageError(`--${latentOnly} is a setting of the latent GAN, not of ${model}.`);
        if (!values.data) throw new UsageError(`ganstudio train ${model} needs --data <dir>.`);
        if (values.steps && values.epochs) throw new UsageError('Give either --steps or --epochs, not both.');
        const ngf = integer('ngf', values.ngf, 1, 256);
        const config = {
          model: model as 'pix2pix' | 'cyclegan' | 'inpaint' | 'latent',
          data: {
            root: values.data,
            mode:
              oneOf('mode', values.mode, MODES) ??
              (model === 'cyclegan' && values.second ? 'unaligned' : undefined),
            secondRoot: values.second,
            derive: oneOf('derive', values.derive, ['gray2color', 'edges2photo'] as const),
          },
          size: integer('size', values.size, 16, 1024),
          steps: integer('steps', values.steps, 1, 100_000_000),
          epochs: integer('epochs', values.epochs, 1, 100_000),
          batch: integer('batch', values.batch, 1, 64),
          backend: oneOf('backend', values.backend, BACKEND_CHOICES),
          direction: oneOf('direction', values.direction, ['AtoB', 'BtoA'] as const),
          seed: integer('seed', values.seed, 0, 2 ** 31 - 1),
          ngf,
          ndf: ngf,
          blocks: integer('blocks', values.blocks, 1, 16),
          sampleEvery: integer('sample-every', values['sample-every'], 1, 1_000_000),
          checkpointEvery: integer('checkpoint-every', values['checkpoint-every'], 1, 1_000_000),
          maskDesign: values['mask-design'] ? readMaskDesign(values['mask-design']) : undefined,
          hints: values.hints,
          nz: integer('nz', values.nz, 1, 512),
          nCritic: integer('n-critic', values['n-critic'], 1, 20),
          spectralNorm: values['spectral-norm'],
        };
        return await withEngine((engine) => train(engine, { config, out: values.out }, out));
      }
      case 'eval': {
        const { values, positionals } = parseOptions(
          rest,
          { data: { type: 'string' }, limit: { type: 'string' } },
          1,
        );
        const target = positionals[0];
        if (!target) throw new UsageError('Usage: ganstudio eval <runDir|checkpoint> [--data <dir>]');
        await evaluate(
          target,
          { data: values.data, limit: integer('limit', values.limit, 1, 100_000) ?? 100 },
          out,
        );
        return 0;
      }
      case 'export': {
        const { values, positionals } = parseOptions(
          rest,
          { out: { type: 'string' }, direction: { type: 'string' } },
          1,
        );
        const target = positionals[0];
        if (!target || !values.out)
          throw new UsageError('Usage: ganstudio export <runDir|checkpoint> --out <model.onnx>');
        const models = new ModelHost(host.spawnModelWorker ?? forkModelWorker(MODEL_WORKER_SCRIPT));
        try {
          await exportModel(
            models,
            target,
            { out: values.out, direction: oneOf('direction', values.direction, ['AtoB', 'BtoA']) },
            out,
          );
        } finally {
          models.close();
        }
        return 0;
      }
      case 'infer': {
        const { values, positionals } = parseOptions(
          rest,
          {
            in: { type: 'string' },
            out: { type: 'string' },
            mask: { type: 'string' },
            feather: { type: 'string' },
            provider: { type: 'string' },
          },
          1,
        );
        const model = positionals[0];
        if (!model || !values.in || !values.out)
          throw new UsageError(
            'Usage: ganstudio infer <model.onnx> --in <dir|image> --out <dir> [--mask <dir|image>]',
          );
        const models = new ModelHost(host.spawnModelWorker ?? forkModelWorker(MODEL_WORKER_SCRIPT));
        try {
          return await infer(
            models,
            {
              model,
              input: values.in,
              outDir: values.out,
              mask: values.mask,
              feather: integer('feather', values.feather, 0, 64),
              provider: values.provider,
            },
            out,
          );
        } finally {
          models.close();
        }
      }
      case 'bench': {
        const { values, positionals } = parseOptions(
          rest,
          {
            model: { type: 'string' },
            size: { type: 'string' },
            steps: { type: 'string' },
            ngf: { type: 'string' },
            backend: { type: 'string' },
            onnx: { type: 'string' },
            vs: { type: 'string' },
            threads: { type: 'string' },
            norm: { type: 'string' },
            unsplit: { type: 'boolean' },
          },
          1,
        );
        await bench(
          positionals[0],
          {
            model: values.model ?? 'pix2pix',
            size: integer('size', values.size, 16, 1024) ?? (values.model === 'latent' ? 64 : 128),
            steps: integer('steps', values.steps, 1, 10_000),
            ngf: integer('ngf', values.ngf, 1, 256) ?? (values.model === 'latent' ? 32 : 64),
            backend: oneOf('backend', values.backend, BACKEND_CHOICES) ?? 'auto',
            onnx: values.onnx,
            vs: values.vs,
            threads: integer('threads', values.threads, 1, 256),
            norm: oneOf('norm', values.norm, ['batch', 'instance', 'none'] as const),
            unsplit: values.unsplit,
          },
          out,
        );
        return 0;
      }
    }
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
