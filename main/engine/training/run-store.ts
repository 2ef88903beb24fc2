import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StudioError } from '../errors';
import type { TrainConfig } from './run-config';
import type { TrainerEvent } from './trainer-messages';

/** A run's status in the catalog. */
export type RunStatus = 'queued' | 'running' | 'stopped' | 'done' | 'crashed' | 'failed';

/** A training run as the catalog knows it. */
export interface RunRecord {
  id: string;
  projectId: string;
  kind: string;
  config: TrainConfig;
  backend: string | null;
  status: RunStatus;
  runDir: string;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

interface RunRow {
  id: string;
  project_id: string;
  kind: string;
  config_json: string;
  backend: string | null;
  status: RunStatus;
  run_dir: string;
  error: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

const toRecord = (row: RunRow): RunRecord => ({
  id: row.id,
  projectId: row.project_id,
  kind: row.kind,
  config: JSON.parse(row.config_json) as TrainConfig,
  backend: row.backend,
  status: row.status,
  runDir: row.run_dir,
  error: row.error,
  createdAt: row.created_at,
  startedAt: row.started_at,
  endedAt: row.ended_at,
});

/** The metric rows an eval event carries, named as the catalog stores them (`val_l1`, `val_cycle_A`…). */
export function evalMetrics(event: Extract<TrainerEvent, { type: 'eval' }>): [string, number][] {
  const named: [string, number | undefined][] = [
    ['val_l1', event.l1],
    ['val_psnr', event.psnr],
    ['val_ssim', event.ssim],
    ['val_baseline_l1', event.baselineL1],
    ['val_cycle_A', event.cycleA],
    ['val_cycle_B', event.cycleB],
    ['val_wasserstein', event.wasserstein],
  ];
  return named.filter((entry): entry is [string, number] => entry[1] !== undefined);
}

/** Runs, their metrics, samples and checkpoints in the catalog; rows follow the files, never precede them. */
export class RunStore {
  constructor(private readonly db: Database.Database) {}

  create(run: { id: string; projectId: string; config: TrainConfig; runDir: string }): RunRecord {
    this.db
      .prepare(
        `INSERT INTO runs (id, project_id, kind, config_json, status, run_dir, created_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(
        run.id,
        run.projectId,
        run.config.model,
        JSON.stringify(run.config),
        run.runDir,
        new Date().toISOString(),
      );
    return this.get(run.id);
  }

  get(id: string): RunRecord {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new StudioError('not-found', `No training run with id ${id}.`);
    return toRecord(row);
  }

  /** The run whose folder is `runDir`, if the catalog has one. */
  findByDir(runDir: string): RunRecord | null {
    const row = this.db.prepare(`SELECT * FROM runs WHERE run_dir = ?`).get(runDir) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(projectId: string): RunRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM runs WHERE project_id = ? ORDER BY created_at DESC`)
      .all(projectId) as RunRow[];
    return rows.map(toRecord);
  }

  setStatus(id: string, status: RunStatus, error: string | null = null): void {
    const ended = status === 'running' || status === 'queued' ? null : new Date().toISOString();
    this.db
      .prepare(
        `UPDATE runs SET status = ?, error = ?, ended_at = ?, started_at = CASE WHEN ? = 'running' THEN ? ELSE started_at END WHERE id = ?`,
      )
      .run(status, error, ended, status, new Date().toISOString(), id);
  }

  /** Records that this process hosts the run's trainer from now on. */
  claim(id: string): void {
    this.db.prepare(`UPDATE runs SET host_pid = ? WHERE id = ?`).run(process.pid, id);
  }

  /**
   * Marks runs the catalog shows as running whose hosting process is gone (the app or CLI died)
   * as crashed; runs hosted by a live process, another studio window or CLI, stay as they are.
   */
  markOrphansCrashed(): void {
    const rows = this.db
      .prepare(`SELECT id, host_pid FROM runs WHERE status IN ('running', 'queued')`)
      .all() as {
      id: string;
      host_pid: number | null;
    }[];
    for (const { id, host_pid } of rows) {
      if (host_pid !== null && isAlive(host_pid)) continue;
      this.setStatus(
        id,
        'crashed',
        'The studio stopped while this run was training; resume it to continue from its last checkpoint.',
      );
    }
  }

  /** Records one trainer event. */
  record(id: string, event: TrainerEvent): void {
    const now = new Date().toISOString();
    switch (event.type) {
      case 'started':
        this.db.prepare(`UPDATE runs SET backend = ? WHERE id = ?`).run(event.backend, id);
        this.setStatus(id, 'running');
        break;
      case 'progress': {
        const insert = this.db.prepare(
          `INSERT OR REPLACE INTO metrics (run_id, step, name, value) VALUES (?, ?, ?, ?)`,
        );
        this.db.transaction(() => {
          for (const [name, value] of Object.entries(event.losses))
            insert.run(id, event.step, `loss_${name}`, value);
          insert.run(id, event.step, 'lr', event.lr);
          insert.run(id, event.step, 'it_per_sec', event.itPerSec);
        })();
        break;
      }
      case 'eval': {
        const insert = this.db.prepare(
          `INSERT OR REPLACE INTO metrics (run_id, step, name, value) VALUES (?, ?, ?, ?)`,
        );
        this.db.transaction(() => {
          for (const [name, value] of evalMetrics(event)) insert.run(id, event.step, name, value);
        })();
        break;
      }
      case 'sample':
        this.db
          .prepare(`INSERT INTO samples (run_id, step, path, created_at) VALUES (?, ?, ?, ?)`)
          .run(id, event.step, event.path, now);
        break;
      case 'checkpoint': {
        this.db
          .prepare(
            `INSERT INTO checkpoints (run_id, step, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(id, event.step, event.path, event.sha256, event.bytes, now);
        const rows = this.db.prepare(`SELECT id, path FROM checkpoints WHERE run_id = ?`).all(id) as {
          id: number;
          path: string;
        }[];
        for (const row of rows)
          if (!existsSync(row.path)) this.db.prepare(`DELETE FROM checkpoints WHERE id = ?`).run(row.id);
        break;
      }
      case 'done':
        this.setStatus(id, event.stopped ? 'stopped' : 'done');
        break;
      case 'error':
        this.setStatus(id, event.crashed ? 'crashed' : 'failed', event.message);
        break;
      case 'warning':
        break;
    }
  }

  /** A run's metric series, by name, in step order. */
  metrics(id: string): Record<string, [number, number][]> {
    const rows = this.db
      .prepare(`SELECT step, name, value FROM metrics WHERE run_id = ? ORDER BY step`)
      .all(id) as {
      step: number;
      name: string;
      value: number;
    }[];
    const series: Record<string, [number, number][]> = {};
    for (const row of rows) (series[row.name] ??= []).push([row.step, row.value]);
    return series;
  }

  samples(id: string): { step: number; path: string }[] {
    return this.db.prepare(`SELECT step, path FROM samples WHERE run_id = ? ORDER BY step`).all(id) as {
      step: number;
      path: string;
    }[];
  }

  checkpoints(id: string): { step: number; path: string; sha256: string; bytes: number }[] {
    return this.db
      .prepare(`SELECT step, path, sha256, bytes FROM checkpoints WHERE run_id = ? ORDER BY step`)
      .all(id) as {
      step: number;
      path: string;
      sha256: string;
      bytes: number;
    }[];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
