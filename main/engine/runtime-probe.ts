import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendStatus, ProviderStatus } from '../../preload/contract';

const require = createRequire(import.meta.url);

function packageDir(name: string): string | null {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function findFile(dir: string, predicate: (name: string) => boolean, depth = 4): string | null {
  if (depth < 0 || !existsSync(dir)) return null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isFile() && predicate(entry.name)) return full;
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      const found = findFile(full, predicate, depth - 1);
      if (found) return found;
    }
  }
  return null;
}

/** A tiny module using a v128 SIMD instruction: validates only where wasm SIMD exists. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

/**
 * Which tfjs training backends this installation can use, in the order the trainer tries them.
 * Checks the packages and their native or wasm binaries on disk without loading them.
 */
export function probeTrainingBackends(): BackendStatus[] {
  const nodeDir = packageDir('@tensorflow/tfjs-node');
  const binding = nodeDir ? findFile(nodeDir, (n) => n === 'tfjs_binding.node') : null;
  const wasmDir = packageDir('@tensorflow/tfjs-backend-wasm');
  const wasmFile = wasmDir ? join(wasmDir, 'dist', 'tfjs-backend-wasm-simd.wasm') : null;
  const simd = (
    globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }
  ).WebAssembly.validate(SIMD_PROBE);
  const cpu = packageDir('@tensorflow/tfjs') !== null;
  return [
    {
      name: 'node',
      label: 'tfjs-node (native TensorFlow)',
      available: binding !== null,
      detail: !nodeDir
        ? 'not installed: @tensorflow/tfjs-node is optional and its libtensorflow download failed or was skipped'
        : binding
          ? 'native libtensorflow binding found'
          : 'package present but its native binding is missing',
    },
    {
      name: 'wasm',
      label: 'WebAssembly (XNNPACK)',
      available: wasmFile !== null && existsSync(wasmFile),
      detail: !wasmDir
        ? 'not installed: @tensorflow/tfjs-backend-wasm is missing'
        : `${simd ? 'SIMD' : 'no SIMD'}, single-threaded under Node; project gradient kernels`,
    },
    {
      name: 'cpu',
      label: 'plain JavaScript CPU',
      available: cpu,
      detail: cpu ? 'always available, slowest' : 'not installed: @tensorflow/tfjs is missing',
    },
  ];
}

const PLATFORM_PROVIDERS: Record<string, string[]> = {
  linux: ['cuda', 'cpu'],
  win32: ['dml', 'cpu'],
  darwin: ['coreml', 'cpu'],
};

/**
 * Which ONNX Runtime execution providers this installation offers, in the order inference
 * tries them. Reads onnxruntime-node's own list plus, for CUDA, whether its libraries are on disk.
 */
export function probeInferenceProviders(platform: NodeJS.Platform = process.platform): ProviderStatus[] {
  const order = PLATFORM_PROVIDERS[platform] ?? ['cpu'];
  let supported: { name: string; bundled: boolean }[];
  try {
    supported = (
      require('onnxruntime-node') as { listSupportedBackends(): typeof supported }
    ).listSupportedBackends();
  } catch (error) {
    return order.map((name) => ({
      name,
      available: false,
      detail: `onnxruntime-node failed to load: ${(error as Error).message}`,
    }));
  }
  const ortDir = packageDir('onnxruntime-node');
  return order.map((name) => {
    const entry = supported.find((s) => s.name === name);
    if (!entry) return { name, available: false, detail: 'not built into this onnxruntime-node' };
    if (entry.bundled) return { name, available: true, detail: 'bundled with onnxruntime-node' };
    const lib = ortDir ? findFile(ortDir, (n) => n.startsWith(`libonnxruntime_providers_${name}`)) : null;
    return lib
      ? { name, available: true, detail: `provider library found (${lib})` }
      : {
          name,
          available: false,
          detail: `provider libraries not installed (installed with ONNXRUNTIME_NODE_INSTALL=skip, or no ${name.toUpperCase()} runtime)`,
        };
  });
}
