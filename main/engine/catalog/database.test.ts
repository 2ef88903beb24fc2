import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { StudioError } from '../errors';
import { CATALOG_FILE, migrate, openCatalog } from './database';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

const tempDir = useTempDir();

function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as {
      type: string;
      name: string;
      sql: string;
    }[]
  ).map((row) => `${row.type} ${row.name}: ${row.sql.replace(/\s+/g, ' ')}`);
}

function seed(db: Database.Database, version: number): void {
  if (version < 1) return;
  db.prepare(
    `INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p1', 'Old project', 't', 't')`,
  ).run();
  db.prepare(
    `INSERT INTO runs (id, project_id, kind, config_json, status, run_dir, created_at) VALUES ('r1', 'p1', 'pix2pix', '{}', 'done', '/runs/r1', 't')`,
  ).run();
  db.prepare(`INSERT INTO metrics (run_id, step, name, value) VALUES ('r1', 10, 'loss_G', 1.5)`).run();
}

describe('openCatalog', () => {
  it('creates a WAL catalog at the latest schema with a busy timeout and foreign keys', () => {
    const dir = tempDir();
    const catalog = openCatalog(dir);
    expect(catalog.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(catalog.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(catalog.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(catalog.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = schemaOf(catalog.db)
      .filter((s) => s.startsWith('table'))
      .map((s) => s.split(' ')[1]?.replace(':', ''));
    expect(tables).toEqual(
      expect.arrayContaining([
        'projects',
        'datasets',
        'images',
        'runs',
        'metrics',
        'samples',
        'checkpoints',
        'exports',
        'settings',
      ]),
    );
    expect(catalog.notices).toEqual([]);
    catalog.close();
  });

  it.each(Array.from({ length: LATEST_VERSION }, (_, v) => v))(
    'migrates a catalog at version %i to the latest, keeping its data and ending with the fresh schema',
    (from) => {
      const fresh = openCatalog(tempDir());
      const expected = schemaOf(fresh.db);
      fresh.close();

      const dir = tempDir();
      const old = new Database(join(dir, CATALOG_FILE));
      migrate(old, from);
      expect(old.pragma('user_version', { simple: true })).toBe(from);
      seed(old, from);
      old.close();

      const catalog = openCatalog(dir);
      expect(catalog.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(schemaOf(catalog.db)).toEqual(expected);
      if (from >= 1) {
        expect(catalog.db.prepare(`SELECT name FROM projects`).all()).toEqual([{ name: 'Old project' }]);
        expect(catalog.db.prepare(`SELECT value FROM metrics WHERE run_id = 'r1'`).get()).toEqual({
          value: 1.5,
        });
      }
      catalog.close();
    },
  );

  it('applies each migration in a transaction: a failing step leaves the previous version intact', () => {
    const dir = tempDir();
    const db = new Database(join(dir, CATALOG_FILE));
    migrate(db, 1);
    db.exec(`CREATE TABLE settings (key TEXT)`); // makes step 2 fail half-way
    expect(() => migrate(db)).toThrow(/settings already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(
      db.prepare(`SELECT name FROM sqlite_master WHERE name = 'datasets_by_project'`).get(),
    ).toBeUndefined();
    db.close();
  });

  it('moves a file that is not a database aside under a dated name and starts fresh', () => {
    const dir = tempDir();
    const garbage = Buffer.from(
      'this is not an sqlite database, it is a shopping list: milk, eggs, '.repeat(100),
    );
    writeFileSync(join(dir, CATALOG_FILE), garbage);
    const catalog = openCatalog(dir, { now: () => new Date('2026-11-22T10:00:00.000Z') });
    const moved = join(dir, 'catalog.corrupt-2026-11-22T10-00-00-000Z.db');
    expect(readFileSync(moved)).toEqual(garbage);
    expect(catalog.notices).toHaveLength(1);
    expect(catalog.notices[0]?.level).toBe('error');
    expect(catalog.notices[0]?.message).toContain(moved);
    expect(catalog.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(catalog.db.prepare(`SELECT count(*) AS n FROM projects`).get()).toEqual({ n: 0 });
    catalog.close();
  });

  it('detects damaged pages inside a real catalog with quick_check and keeps the damaged copy', () => {
    const dir = tempDir();
    const first = openCatalog(dir);
    const insert = first.db.prepare(
      `INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, 't', 't')`,
    );
    for (let i = 0; i < 2000; i += 1) insert.run(`id-${i}`, `project ${i} ${'x'.repeat(80)}`);
    first.db.pragma('wal_checkpoint(TRUNCATE)');
    first.db.pragma('journal_mode = DELETE');
    first.close();
    const path = join(dir, CATALOG_FILE);
    const pageSize = 4096;
    expect(statSync(path).size).toBeGreaterThan(pageSize * 20);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize * 4, 0xa5), 0, pageSize * 4, pageSize * 10);
    closeSync(fd);

    const catalog = openCatalog(dir);
    expect(catalog.notices).toHaveLength(1);
    expect(catalog.notices[0]?.message).toMatch(/was damaged/);
    const movedName = readdirSync(dir).find((name) => name.startsWith('catalog.corrupt-'));
    expect(movedName).toBeDefined();
    expect(statSync(join(dir, movedName ?? '')).size).toBeGreaterThan(pageSize * 20);
    expect(catalog.db.prepare(`SELECT count(*) AS n FROM projects`).get()).toEqual({ n: 0 });
    catalog.close();
  });

  it('refuses a catalog from a newer build without moving it', () => {
    const dir = tempDir();
    const db = new Database(join(dir, CATALOG_FILE));
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    expect(() => openCatalog(dir)).toThrow(StudioError);
    expect(() => openCatalog(dir)).toThrow(/newer GAN Studio/);
    expect(readdirSync(dir).filter((n) => n.includes('corrupt'))).toEqual([]);
  });

  it('reports a data directory that cannot hold a catalog without treating it as corruption', () => {
    const dir = tempDir();
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    expect(() => openCatalog(join(blocker, 'inner'))).toThrow();
    expect(existsSync(blocker)).toBe(true);
  });

  it('lists migrations in strictly increasing order starting at 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
