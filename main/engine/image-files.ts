import { readFile, stat } from 'node:fs/promises';
import { extname, relative, resolve, isAbsolute } from 'node:path';
import type Database from 'better-sqlite3';
import { StudioError } from './errors';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};
const MAX_BYTES = 32 * 1024 * 1024;

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Reads an image the renderer may show (samples, dataset images) as a data URL. Only files under
 * the data directory or a dataset folder in the catalog are served.
 */
export async function readImageDataUrl(
  db: Database.Database,
  dataDir: string,
  requested: string,
): Promise<string> {
  const path = resolve(requested);
  const roots = [
    dataDir,
    ...(db.prepare(`SELECT root_path FROM datasets`).all() as { root_path: string }[]).map(
      (r) => r.root_path,
    ),
  ];
  if (!roots.some((root) => inside(resolve(root), path))) {
    throw new StudioError('forbidden', `${path} is outside the studio's data and dataset folders.`);
  }
  const type = TYPES[extname(path).toLowerCase()];
  if (!type) throw new StudioError('unsupported', `${path} is not a PNG, JPEG or WebP image.`);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new StudioError('not-found', `Image not found: ${path}`);
  }
  if (info.size > MAX_BYTES) throw new StudioError('unsupported', `${path} is larger than 32 MB.`);
  return `data:${type};base64,${(await readFile(path)).toString('base64')}`;
}
