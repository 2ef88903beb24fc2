import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { FileFacts, Problem, ProblemKind } from './dataset-report';
import { ImageReadError, readImageHeader, type ImageFailure } from './image-io';
import { mapLimit } from './map-limit';

/** The outcome of inspecting one file: its facts, or the problem that keeps it out. */
export type Inspection = { ok: true; facts: FileFacts; grayscale: boolean } | { ok: false; problem: Problem };

const TAIL_BYTES = 1024;
const INSPECT_CONCURRENCY = 8;
// IEND chunk type followed by its fixed CRC: every complete PNG ends with these eight bytes.
const PNG_END = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

const PROBLEM_KINDS: Record<ImageFailure, ProblemKind> = {
  'not-found': 'unreadable',
  unreadable: 'unreadable',
  'not-an-image': 'not-an-image',
  corrupt: 'corrupt',
  'too-large': 'unreadable',
};

/**
 * Reads a file's header (size, format) and streams its bytes once for a sha256, without decoding
 * pixels. A PNG whose end marker is missing is reported as truncated. `label` names the file in
 * problem messages (usually its path relative to the dataset folder).
 */
export async function inspectImageFile(path: string, label: string): Promise<Inspection> {
  try {
    const [header, content] = await Promise.all([readImageHeader(path), hashFile(path)]);
    if (header.format === 'png' && !content.tail.includes(PNG_END)) {
      return fail(path, 'corrupt', `Cannot read ${label}: the PNG is truncated (it has no end marker).`);
    }
    return {
      ok: true,
      facts: { width: header.width, height: header.height, hash: content.hash, bytes: content.bytes },
      grayscale: header.grayscale,
    };
  } catch (error) {
    return { ok: false, problem: problemFromError(path, label, error) };
  }
}

/** Inspects `paths` a few at a time; the result maps each path to its inspection. */
export async function inspectImageFiles(
  paths: string[],
  label: (path: string) => string,
): Promise<Map<string, Inspection>> {
  const results = await mapLimit(paths, INSPECT_CONCURRENCY, (path) => inspectImageFile(path, label(path)));
  return new Map(paths.map((path, i) => [path, results[i]!]));
}

/** The problem to report for an error thrown while reading `path`. */
export function problemFromError(path: string, label: string, error: unknown): Problem {
  if (error instanceof ImageReadError) {
    return {
      file: path,
      kind: PROBLEM_KINDS[error.failure],
      message: `Cannot read ${label}: ${error.reason}.`,
    };
  }
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'no permission to read it'
        : (error as Error).message;
  return { file: path, kind: 'unreadable', message: `Cannot read ${label}: ${reason}.` };
}

/** How messages name a file: relative to the dataset folder when inside it, else in full. */
export function labelOf(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

async function hashFile(path: string): Promise<{ hash: string; bytes: number; tail: Buffer }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    tail = Buffer.concat([tail, buffer.subarray(Math.max(0, buffer.length - TAIL_BYTES))]);
    if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
  }
  return { hash: hash.digest('hex'), bytes, tail };
}

function fail(path: string, kind: ProblemKind, message: string): Inspection {
  return { ok: false, problem: { file: path, kind, message } };
}
