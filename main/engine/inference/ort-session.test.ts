import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { writeInpaintModel, writeUnetModel } from '../../test-support/onnx-models';
import { useTempDir } from '../../test-support/temp-dir';
import { openOrtSession, runSessionsInBackground, sessionOptions } from './ort-session';

const tempDir = useTempDir();

/** Runs a session on a fixed image of `size` px; returns its first output's values. */
async function runOn(session: ort.InferenceSession, size: number): Promise<Float32Array> {
  const data = Float32Array.from({ length: 3 * size * size }, (_, i) => Math.sin(i * 0.37));
  const outputs = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', data, [1, 3, size, size]),
  });
  return outputs[session.outputNames[0]!]!.data as Float32Array;
}

describe('openOrtSession', () => {
  it('runs a U-Net with its transposed convolutions split into phases, giving the unsplit output', async () => {
    const file = join(tempDir(), 'unet.onnx');
    writeUnetModel(file, { size: 64, ngf: 8 });
    const split = await openOrtSession(file, { only: 'cpu' });
    const plain = await openOrtSession(file, { only: 'cpu', unsplit: true });
    try {
      expect(split.splitDeconvs).toBeGreaterThan(0);
      expect(plain.splitDeconvs).toBe(0);
      const [a, b] = [await runOn(split.session, 64), await runOn(plain.session, 64)];
      let worst = 0;
      for (let i = 0; i < a.length; i += 1) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(a.length).toBe(3 * 64 * 64);
      expect(worst).toBeLessThan(1e-5);
      expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.1);
    } finally {
      await split.session.release();
      await plain.session.release();
    }
  });

  it('opens a model with no transposed convolution as it is, and refuses bytes that are not a model', async () => {
    const file = join(tempDir(), 'inpaint.onnx');
    writeInpaintModel(file);
    const opened = await openOrtSession(file, { only: 'cpu' });
    expect(opened.splitDeconvs).toBe(0);
    await opened.session.release();
    await expect(openOrtSession(new Uint8Array([8, 1, 2, 3]), { only: 'cpu' })).rejects.toThrow();
  });
});

describe('sessionOptions', () => {
  it('uses a thread per core, then one thread that does not spin once the process runs in the background', () => {
    expect(sessionOptions('cpu')).toMatchObject({ intraOpNumThreads: availableParallelism() });
    expect(sessionOptions('cpu').extra).toBeUndefined();
    runSessionsInBackground();
    expect(sessionOptions('cpu')).toMatchObject({
      intraOpNumThreads: 1,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    expect(sessionOptions('cpu', 3).intraOpNumThreads).toBe(3);
  });
});
