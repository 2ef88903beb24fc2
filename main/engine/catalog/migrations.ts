/** One step of the catalog schema; `version` is the `PRAGMA user_version` after it. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Every schema step in order. Append only: a released step is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'projects, datasets, images, runs, metrics, samples, checkpoints, exports',
    sql: `
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        opened_at TEXT
      );
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('aligned', 'paired', 'unaligned', 'single')),
        root_path TEXT NOT NULL,
        report_json TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        side TEXT CHECK (side IN ('A', 'B', 'AB')),
        split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
        content_hash TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        UNIQUE (dataset_id, path)
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
        kind TEXT NOT NULL,
        config_json TEXT NOT NULL,
        backend TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'stopped', 'done', 'crashed', 'failed')),
        run_dir TEXT NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT
      );
      CREATE TABLE metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (run_id, step, name)
      ) WITHOUT ROWID;
      CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE exports (
        id TEXT PRIMARY KEY,
        run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        parity_max_abs_diff REAL,
        latency_ms REAL,
        provider TEXT,
        metadata_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'settings table and foreign-key indexes',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX datasets_by_project ON datasets(project_id);
      CREATE INDEX images_by_dataset ON images(dataset_id, split);
      CREATE INDEX runs_by_project ON runs(project_id, created_at);
      CREATE INDEX samples_by_run ON samples(run_id, step);
      CREATE INDEX checkpoints_by_run ON checkpoints(run_id, step);
      CREATE INDEX exports_by_run ON exports(run_id);
    `,
  },
  {
    version: 3,
    description: 'the process hosting a run, so another process never takes a live run for a crashed one',
    sql: `ALTER TABLE runs ADD COLUMN host_pid INTEGER;`,
  },
  {
    version: 4,
    description: 'exports become the models of a project: exported from a run or imported',
    sql: `
      ALTER TABLE exports ADD COLUMN project_id TEXT REFERENCES projects(id) ON DELETE CASCADE;
      ALTER TABLE exports ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE exports ADD COLUMN source TEXT NOT NULL DEFAULT 'export';
      ALTER TABLE exports ADD COLUMN checkpoint_step INTEGER;
      CREATE INDEX exports_by_project ON exports(project_id, created_at);
    `,
  },
];

/** The schema version this build writes. */
export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
