import type Database from 'better-sqlite3';
import type { ModelView } from '../../../preload/contract';
import { StudioError } from '../errors';
import type { ModelDescription } from '../inference/model-jobs';

interface ModelRow {
  id: string;
  project_id: string;
  run_id: string | null;
  name: string;
  source: 'export' | 'import';
  checkpoint_step: number | null;
  path: string;
  sha256: string;
  bytes: number;
  parity_max_abs_diff: number | null;
  latency_ms: number | null;
  provider: string | null;
  metadata_json: string;
  created_at: string;
}

/** A model to add to the catalog, once its file is complete. */
export interface NewModel {
  id: string;
  projectId: string;
  runId: string | null;
  name: string;
  source: 'export' | 'import';
  checkpointStep: number | null;
  path: string;
  sha256: string;
  bytes: number;
  parityMaxAbs: number | null;
  description: ModelDescription;
}

const toView = (row: ModelRow): ModelView => {
  const d = JSON.parse(row.metadata_json) as ModelDescription;
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    source: row.source,
    kind: d.kind,
    runId: row.run_id,
    checkpointStep: row.checkpoint_step,
    direction: d.kind === 'cyclegan' ? (d.metadata.direction ?? null) : null,
    path: row.path,
    bytes: row.bytes,
    sha256: row.sha256,
    height: d.height,
    width: d.width,
    inChannels: d.inChannels,
    outChannels: d.outChannels,
    valueRange: d.valueRange,
    needsMask: d.maskInput !== null,
    takesHints: (d.hintInput ?? null) !== null,
    nz: d.codeInput?.nz ?? null,
    parityMaxAbs: row.parity_max_abs_diff,
    latencyMs: row.latency_ms,
    provider: row.provider,
    createdAt: row.created_at,
  };
};

/** The models of each project (the `exports` table): rows are written after their files. */
export class ModelStore {
  constructor(private readonly db: Database.Database) {}

  /** Adds a model whose file is already complete on disk. */
  add(model: NewModel): ModelView {
    this.db
      .prepare(
        `INSERT INTO exports (id, project_id, run_id, name, source, checkpoint_step, path, sha256, bytes,
           parity_max_abs_diff, latency_ms, provider, metadata_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        model.id,
        model.projectId,
        model.runId,
        model.name,
        model.source,
        model.checkpointStep,
        model.path,
        model.sha256,
        model.bytes,
        model.parityMaxAbs,
        model.description.latencyMs,
        model.description.provider,
        JSON.stringify(model.description),
        new Date().toISOString(),
      );
    return this.get(model.id);
  }

  /** A project's models, newest first. */
  list(projectId: string): ModelView[] {
    const rows = this.db
      .prepare(`SELECT * FROM exports WHERE project_id = ? ORDER BY created_at DESC, rowid DESC`)
      .all(projectId) as ModelRow[];
    return rows.map(toView);
  }

  /** One model; a `not-found` StudioError when it is not in the catalog. */
  get(id: string): ModelView {
    const row = this.db.prepare(`SELECT * FROM exports WHERE id = ?`).get(id) as ModelRow | undefined;
    if (!row) throw new StudioError('not-found', `No model with id ${id}.`);
    return toView(row);
  }

  /** The stored description of a model (its inputs, size, value range). */
  description(id: string): ModelDescription {
    const row = this.db.prepare(`SELECT metadata_json FROM exports WHERE id = ?`).get(id) as
      | { metadata_json: string }
      | undefined;
    if (!row) throw new StudioError('not-found', `No model with id ${id}.`);
    return JSON.parse(row.metadata_json) as ModelDescription;
  }

  /** Whether a name is taken in a project. */
  nameTaken(projectId: string, name: string): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM exports WHERE project_id = ? AND name = ?`).get(projectId, name) !==
      undefined
    );
  }

  /** Removes a model's row (the caller removes its file). */
  delete(id: string): void {
    this.db.prepare(`DELETE FROM exports WHERE id = ?`).run(id);
  }
}
