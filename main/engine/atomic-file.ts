import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StudioError } from './errors';

/** The low-level write used by `writeFileAtomic`; tests swap it to simulate a full disk. */
export type WriteChunk = (fd: number, chunk: Uint8Array) => void;

const writeAll: WriteChunk = (fd, chunk) => {
  let offset = 0;
  while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
};

/**
 * Writes `chunks` to `path` so that the file is either complete or absent: a temp file in the
 * same folder, fsync, rename, fsync of the folder. On failure the temp file is removed and any
 * previous file at `path` is untouched. Returns the sha256 and size of what was written.
 */
export function writeFileAtomic(
  path: string,
  chunks: Uint8Array[],
  write: WriteChunk = writeAll,
): { sha256: string; bytes: number } {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const hash = createHash('sha256');
  let bytes = 0;
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'w');
    for (const chunk of chunks) {
      write(fd, chunk);
      hash.update(chunk);
      bytes += chunk.length;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw describeWriteError(path, error);
  }
  try {
    const dirFd = openSync(dirname(path), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Some platforms (Windows) cannot fsync a folder; the rename is still atomic there.
  }
  return { sha256: hash.digest('hex'), bytes };
}

function describeWriteError(path: string, error: unknown): StudioError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'the folder is not writable'
        : code === 'ENOENT'
          ? 'the folder does not exist'
          : (error as Error).message;
  return new StudioError('io', `Could not write ${path}: ${reason}.`);
}
