import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { selectBackend, wasmBinaryDir } from './tf-backend';

const nodeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

/** One conv2d filter gradient on the active backend: fails where Conv2DBackpropFilter is missing. */
function filterGradient(): number[] {
  return tf.tidy(() => {
    const x = tf.linspace(-1, 1, 2 * 6 * 5 * 3).reshape([2, 6, 5, 3]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 3, 4]) as tf.Tensor4D;
    return Array.from(
      tf
        .grad((f: tf.Tensor) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 2, 'same')))(w)
        .dataSync(),
    );
  });
}

describe('training backend selection', () => {
  it('finds the wasm binaries in the installed package', () => {
    const dir = wasmBinaryDir();
    expect(dir).not.toBeNull();
    expect(dir?.endsWith(sep)).toBe(true);
    expect(existsSync(join(dir as string, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });

  it.skipIf(nodeInstalled)('auto falls back from tfjs-node to wasm, saying why', async () => {
    const selected = await selectBackend('auto');
    expect(selected.name).toBe('wasm');
    expect(selected.detail).toMatch(/XNNPACK/);
    expect(selected.fellBackFrom).toEqual([{ name: 'node', reason: expect.stringMatching(/not installed/) }]);
    expect(tf.getBackend()).toBe('wasm');
    expect(filterGradient().every(Number.isFinite)).toBe(true);
  });

  it('can be forced to cpu, and to wasm again, with the same gradients', async () => {
    expect(await selectBackend('cpu')).toEqual({ name: 'cpu', detail: expect.any(String) });
    expect(tf.getBackend()).toBe('cpu');
    const onCpu = filterGradient();
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = filterGradient();
    for (const [i, v] of onCpu.entries()) expect(onWasm[i]).toBeCloseTo(v, 4);
  });

  it.skipIf(nodeInstalled)('refuses a forced tfjs-node that is not installed, in one line', async () => {
    const attempt = selectBackend('node');
    await expect(attempt).rejects.toBeInstanceOf(StudioError);
    await expect(attempt).rejects.toThrow(
      /^The node training backend is unavailable: .*tfjs-node is not installed[^\n]*$/,
    );
  });

  it.runIf(nodeInstalled)('uses tfjs-node when it is installed', async () => {
    expect(await selectBackend('node')).toMatchObject({ name: 'node' });
    expect(tf.getBackend()).toBe('tensorflow');
  });
});
