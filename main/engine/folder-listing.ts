import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { FolderEntry, FolderListing } from '../../preload/contract';
import { StudioError } from './errors';

/** File extensions the studio reads as images. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff', '.gif']);

const MAX_ENTRIES = 2000;

/**
 * Lists a folder for the folder browser: sub-folders first, then files, hidden entries left out,
 * with the number of images it holds. Defaults to the home folder.
 */
export async function listFolder(requested?: string): Promise<FolderListing> {
  const path = resolve(requested?.trim() ? requested : homedir());
  await assertFolder(path);
  let dirents;
  try {
    dirents = await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw describeFsError(path, error);
  }
  const entries: FolderEntry[] = [];
  let imageCount = 0;
  for (const dirent of dirents) {
    if (dirent.name.startsWith('.')) continue;
    const kind = dirent.isDirectory() ? 'folder' : isImageName(dirent.name) ? 'image' : 'file';
    if (kind === 'image') imageCount += 1;
    entries.push({ name: dirent.name, path: join(path, dirent.name), kind });
  }
  entries.sort(
    (a, b) =>
      Number(b.kind === 'folder') - Number(a.kind === 'folder') ||
      a.name.localeCompare(b.name, undefined, { numeric: true }),
  );
  const parent = dirname(path) === path ? null : dirname(path);
  return {
    path,
    parent,
    entries: entries.slice(0, MAX_ENTRIES),
    imageCount,
    truncated: entries.length > MAX_ENTRIES,
  };
}

/** Whether a file name has an image extension the studio reads. */
export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

async function assertFolder(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw describeFsError(path, error);
  }
  if (!info.isDirectory()) throw new StudioError('invalid-payload', `${path} is a file, not a folder.`);
}

function describeFsError(path: string, error: unknown): StudioError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new StudioError('not-found', `Folder not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new StudioError('io', `No permission to read ${path}`);
  if (code === 'ENOTDIR') return new StudioError('invalid-payload', `${path} is not a folder.`);
  return new StudioError('io', `Cannot read ${path}: ${(error as Error).message}`);
}
