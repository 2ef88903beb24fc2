import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../../models/adam';
import { writeFileAtomic, type WriteChunk } from '../atomic-file';
import { StudioError } from '../errors';

const MAGIC = Buffer.from('GSCK1\n');

interface TensorEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  byteLength: number;
}

/** What a checkpoint says about itself besides its tensors. */
export interface CheckpointMeta {
  step: number;
  [key: string]: unknown;
}

/**
 * Writes tensors and metadata to one file, atomically: magic, header length, JSON header, then
 * the raw little-endian data. Returns its sha256 and size.
 */
export async function writeCheckpoint(
  path: string,
  tensors: NamedTensor[],
  meta: CheckpointMeta,
  write?: WriteChunk,
): Promise<{ sha256: string; bytes: number }> {
  const entries: TensorEntry[] = [];
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    entries.push({
      name,
      dtype: tensor.dtype === 'int32' ? 'int32' : 'float32',
      shape: tensor.shape,
      offset,
      byteLength: bytes.length,
    });
    data.push(bytes);
    offset += bytes.length;
  }
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return writeFileAtomic(path, [MAGIC, length, header, ...data], write);
}

/** Reads a checkpoint written by `writeCheckpoint`; a damaged file gets an error naming it. */
export function readCheckpoint(path: string): { meta: CheckpointMeta; tensors: NamedTensor[] } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    throw new StudioError('not-found', `Cannot read checkpoint ${path}: ${(error as Error).message}`);
  }
  const damaged = (why: string): StudioError =>
    new StudioError('invalid-payload', `Checkpoint ${path} is damaged: ${why}.`);
  if (file.length < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw damaged('not a GAN Studio checkpoint');
  const headerLength = file.readUInt32LE(MAGIC.length);
  const dataStart = MAGIC.length + 4 + headerLength;
  if (dataStart > file.length) throw damaged('truncated header');
  let header: { meta: CheckpointMeta; tensors: TensorEntry[] };
  try {
    header = JSON.parse(file.subarray(MAGIC.length + 4, dataStart).toString('utf8'));
  } catch {
    throw damaged('unreadable header');
  }
  const tensors = header.tensors.map((entry) => {
    const start = dataStart + entry.offset;
    if (start + entry.byteLength > file.length) throw damaged(`truncated data for ${entry.name}`);
    const bytes = file.subarray(start, start + entry.byteLength);
    const copy = new Uint8Array(bytes).buffer;
    const values = entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { name: entry.name, tensor: tf.tensor(values, entry.shape, entry.dtype) };
  });
  return { meta: header.meta, tensors };
}
