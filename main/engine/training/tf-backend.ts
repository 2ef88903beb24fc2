import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../../../models/kernels';
import { installLeanGradients } from '../../../models/lean-gradients';
import { StudioError } from '../errors';

/** What a run asks for: one backend, or the first that loads in the order node, wasm, cpu. */
export type BackendPreference = 'auto' | 'node' | 'wasm' | 'cpu';

/** The training backends, by the names the studio shows (tfjs calls the native one 'tensorflow'). */
export type BackendName = 'node' | 'wasm' | 'cpu';

/** The backend now active in this process, for the user to see, and why better ones were skipped. */
export interface SelectedBackend {
  name: BackendName;
  detail: string;
  fellBackFrom?: { name: BackendName; reason: string }[];
}

const require = createRequire(import.meta.url);

/** Held in a variable so that bundlers and the type checker leave the optional import alone. */
const TFJS_NODE = '@tensorflow/tfjs-node';

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown error';
}

async function activate(tfName: string): Promise<void> {
  if (tf.getBackend() === tfName) return;
  // setBackend reports a failed initialisation only as a console warning and `false`.
  if (!(await tf.setBackend(tfName))) throw new Error(`tfjs could not initialise its '${tfName}' backend`);
  await tf.ready();
}

async function loadNode(): Promise<string> {
  try {
    require.resolve(TFJS_NODE);
  } catch {
    throw new Error(
      `${TFJS_NODE} is not installed (it is optional; its libtensorflow download failed or was skipped)`,
    );
  }
  let nodeModule: { version?: Record<string, string> };
  try {
    nodeModule = (await import(/* @vite-ignore */ TFJS_NODE)) as typeof nodeModule;
  } catch (error) {
    throw new Error(`${TFJS_NODE} failed to load: ${firstLine(error)}`);
  }
  if (!tf.findBackendFactory('tensorflow')) {
    throw new Error(`${TFJS_NODE} loaded but registered no backend with this copy of @tensorflow/tfjs`);
  }
  await activate('tensorflow');
  const version = nodeModule.version?.['tfjs-node'];
  return `native libtensorflow via ${TFJS_NODE}${version ? ` ${version}` : ''}`;
}

/**
 * The folder holding the wasm backend's `.wasm` binaries, as a file path with a trailing
 * separator (the form `setWasmPaths` takes in Node), or null when the package is missing.
 */
export function wasmBinaryDir(): string | null {
  try {
    return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
  } catch {
    return null;
  }
}

async function loadWasm(): Promise<string> {
  const dir = wasmBinaryDir();
  if (!dir) throw new Error('@tensorflow/tfjs-backend-wasm is not installed');
  if (!existsSync(join(dir, 'tfjs-backend-wasm.wasm'))) throw new Error(`no .wasm binaries in ${dir}`);
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The path is explicit because a bundled build moves the package's own JS away from its
  // binaries; it can be set only before the backend first initialises.
  if (!tf.engine().registry.wasm) wasm.setWasmPaths(dir);
  registerWasmTrainingKernels();
  await activate('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  return `WebAssembly (XNNPACK${simd ? ', SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}) with the project's gradient kernels`;
}

async function loadCpu(): Promise<string> {
  await activate('cpu');
  return 'plain JavaScript (slowest)';
}

const LOADERS: Record<BackendName, () => Promise<string>> = { node: loadNode, wasm: loadWasm, cpu: loadCpu };

/**
 * Makes a tfjs training backend active in this process. 'auto' takes the first of tfjs-node,
 * wasm and cpu that loads and says why the ones before it did not; a named backend that cannot
 * load throws a `StudioError` whose message gives the reason in one line.
 */
export async function selectBackend(preference: BackendPreference): Promise<SelectedBackend> {
  installLeanGradients();
  if (preference !== 'auto') {
    try {
      return { name: preference, detail: await LOADERS[preference]() };
    } catch (error) {
      throw new StudioError(
        'unsupported',
        `The ${preference} training backend is unavailable: ${firstLine(error)}`,
      );
    }
  }
  const fellBackFrom: { name: BackendName; reason: string }[] = [];
  for (const name of ['node', 'wasm', 'cpu'] as const) {
    try {
      const detail = await LOADERS[name]();
      return fellBackFrom.length > 0 ? { name, detail, fellBackFrom } : { name, detail };
    } catch (error) {
      fellBackFrom.push({ name, reason: firstLine(error) });
    }
  }
  throw new StudioError(
    'unsupported',
    `No training backend could load: ${fellBackFrom.map((f) => `${f.name}: ${f.reason}`).join('; ')}`,
  );
}
