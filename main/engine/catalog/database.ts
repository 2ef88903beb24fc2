import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Notice } from '../../../preload/contract';
import { StudioError } from '../errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

/** The catalog's file name inside the data directory. */
export const CATALOG_FILE = 'catalog.db';

/** An open catalog database and what the user must be told about opening it. */
export interface Catalog {
  db: Database.Database;
  path: string;
  notices: Notice[];
  close(): void;
}

/** Options for `openCatalog`; `nativeBinding` points better-sqlite3 at an Electron-ABI build. */
export interface OpenCatalogOptions {
  nativeBinding?: string;
  now?: () => Date;
}

const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/**
 * Opens (creating when absent) the catalog in `dataDir`: WAL, a busy timeout, foreign keys, and
 * every pending migration. A corrupt file is moved aside under a dated name and a fresh catalog
 * is created, with a notice saying where the old one went.
 */
export function openCatalog(dataDir: string, options: OpenCatalogOptions = {}): Catalog {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, CATALOG_FILE);
  const notices: Notice[] = [];
  let db: Database.Database;
  try {
    db = openChecked(path, options);
  } catch (error) {
    if (!isCorruption(error)) throw describeOpenFailure(path, error);
    const movedTo = moveAside(path, (options.now ?? (() => new Date()))());
    notices.push({
      level: 'error',
      message:
        `The catalog at ${path} was damaged (${(error as Error).message}). ` +
        `It was moved to ${movedTo} and a new, empty catalog was created. ` +
        `Your checkpoints, samples and exports on disk were not touched.`,
    });
    db = openChecked(path, options);
  }
  migrate(db);
  return { db, path, notices, close: () => db.close() };
}

function openChecked(path: string, options: OpenCatalogOptions): Database.Database {
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new CorruptCatalogError(`quick_check: ${String(result)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_VERSION) {
      throw new StudioError(
        'unsupported',
        `The catalog at ${path} was written by a newer GAN Studio (schema ${version}; this build knows up to ${LATEST_VERSION}). Update GAN Studio to open it.`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies every migration above the database's `user_version`, each in its own transaction. */
export function migrate(db: Database.Database, target: number = LATEST_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const step of MIGRATIONS) {
    if (step.version <= current || step.version > target) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
}

class CorruptCatalogError extends Error {
  readonly code = 'SQLITE_CORRUPT';
}

function isCorruption(error: unknown): boolean {
  return error instanceof Error && CORRUPTION_CODES.has((error as { code?: string }).code ?? '');
}

function describeOpenFailure(path: string, error: unknown): Error {
  if (error instanceof StudioError) return error;
  return new StudioError('io', `Cannot open the catalog at ${path}: ${(error as Error).message}`);
}

function moveAside(path: string, when: Date): string {
  const stamp = when.toISOString().replace(/[:.]/g, '-');
  const target = path.replace(/\.db$/, `.corrupt-${stamp}.db`);
  renameSync(path, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}
