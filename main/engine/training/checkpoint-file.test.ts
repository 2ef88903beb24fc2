import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file';

const tempDir = useTempDir();

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('checkpoint files', () => {
  it('round-trips float and int tensors and the metadata', async () => {
    const dir = tempDir();
    const a = tf.tensor([
      [1.5, -2],
      [3, 4.25],
    ]);
    const b = tf.scalar(7, 'int32');
    const path = join(dir, 'ckpt.gsck');
    const written = await writeCheckpoint(
      path,
      [
        { name: 'G/w', tensor: a },
        { name: 'opt/steps', tensor: b },
      ],
      { step: 12, rng: [1, 2] },
    );
    expect(written.bytes).toBe(readFileSync(path).length);
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
    const read = readCheckpoint(path);
    expect(read.meta).toEqual({ step: 12, rng: [1, 2] });
    expect(read.tensors.map((t) => t.name)).toEqual(['G/w', 'opt/steps']);
    expect(read.tensors[0]?.tensor.arraySync()).toEqual([
      [1.5, -2],
      [3, 4.25],
    ]);
    expect(read.tensors[1]?.tensor.dtype).toBe('int32');
    tf.dispose([a, b, ...read.tensors.map((t) => t.tensor)]);
  });

  it('on a full disk removes the temp file and leaves the previous checkpoint intact', async () => {
    const dir = tempDir();
    const path = join(dir, 'ckpt.gsck');
    const t = tf.ones([64, 64]);
    await writeCheckpoint(path, [{ name: 'w', tensor: t }], { step: 1 });
    const before = readFileSync(path);
    let written = 0;
    const fullDisk = (_fd: number, chunk: Uint8Array): void => {
      written += chunk.length;
      if (written > 1000)
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    await expect(writeCheckpoint(path, [{ name: 'w', tensor: t }], { step: 2 }, fullDisk)).rejects.toThrow(
      `Could not write ${path}: the disk is full.`,
    );
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['ckpt.gsck']);
    t.dispose();
  });

  it('names the folder problem when the output folder does not exist', async () => {
    const path = join(tempDir(), 'missing', 'ckpt.gsck');
    const t = tf.ones([2]);
    await expect(writeCheckpoint(path, [{ name: 'w', tensor: t }], { step: 1 })).rejects.toThrow(
      /the folder does not exist/,
    );
    expect(existsSync(path)).toBe(false);
    t.dispose();
  });

  it('refuses truncated and foreign files with a message naming them', async () => {
    const dir = tempDir();
    const path = join(dir, 'ckpt.gsck');
    const t = tf.ones([32, 32]);
    await writeCheckpoint(path, [{ name: 'w', tensor: t }], { step: 1 });
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, full.length - 100));
    expect(() => readCheckpoint(path)).toThrow(`Checkpoint ${path} is damaged: truncated data for w.`);
    writeFileSync(path, 'hello');
    expect(() => readCheckpoint(path)).toThrow(/not a GAN Studio checkpoint/);
    t.dispose();
  });
});
