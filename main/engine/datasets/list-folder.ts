import { readdir, stat } from 'node:fs/promises';
import { join, parse, sep } from 'node:path';
import { StudioError } from '../errors';
import { isImageName } from '../folder-listing';

/** The images and sub-folders of one folder (hidden entries left out). */
export interface Listing {
  path: string;
  images: string[];
  folders: Map<string, string>;
  ignored: number;
}

/**
 * Lists a folder's images (sorted by name, numbers in order) and sub-folders (by lower-case name).
 * `what` names the folder in the not-found error; a missing folder is empty when `mayBeMissing`.
 */
export async function listFolder(path: string, what: string, mayBeMissing = false): Promise<Listing> {
  let dirents;
  try {
    dirents = await readdir(path, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && mayBeMissing) return { path, images: [], folders: new Map(), ignored: 0 };
    if (code === 'ENOENT') throw new StudioError('not-found', `${what} not found: ${path}`);
    if (code === 'ENOTDIR') throw new StudioError('invalid-payload', `${path} is a file, not a folder.`);
    if (code === 'EACCES' || code === 'EPERM') throw new StudioError('io', `No permission to read ${path}.`);
    throw new StudioError('io', `Cannot read ${path}: ${(error as Error).message}`);
  }
  const listing: Listing = { path, images: [], folders: new Map(), ignored: 0 };
  for (const dirent of dirents) {
    if (dirent.name.startsWith('.')) continue;
    const full = join(path, dirent.name);
    let isFolder = dirent.isDirectory();
    let isFile = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      const target = await stat(full).catch(() => null);
      isFolder = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isFolder) {
      const key = dirent.name.toLowerCase();
      if (!listing.folders.has(key)) listing.folders.set(key, full);
    } else if (isFile && isImageName(dirent.name)) listing.images.push(full);
    else if (isFile) listing.ignored += 1;
  }
  listing.images.sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  return listing;
}

/** How messages name a folder: relative to the dataset folder, with a trailing separator. */
export function folderLabel(listing: Listing, label: (path: string) => string): string {
  const name = label(listing.path);
  return name.endsWith(sep) ? name : `${name}${sep}`;
}

/** The deepest folder holding both `a` and `b` (absolute paths), so both can be named relative to it. */
export function commonFolder(a: string, b: string): string {
  const [partsA, partsB] = [a.split(sep), b.split(sep)];
  let n = 0;
  while (n < partsA.length && n < partsB.length && partsA[n] === partsB[n]) n += 1;
  return n === 0 ? parse(a).root : partsA.slice(0, n).join(sep) || parse(a).root;
}
