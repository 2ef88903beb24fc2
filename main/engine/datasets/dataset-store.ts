import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StudioError } from '../errors';
import {
  SPLIT_NAMES,
  type DatasetCounts,
  type DatasetMode,
  type DatasetReport,
  type Pair,
  type SideImage,
  type SideSplit,
} from './dataset-report';

/** A dataset in the catalog, as listed. */
export interface DatasetSummary {
  id: string;
  projectId: string;
  name: string;
  mode: DatasetMode;
  root: string;
  createdAt: string;
  counts: DatasetCounts;
}

/** A dataset in the catalog with the full report of its import. */
export interface StoredDataset extends DatasetSummary {
  report: DatasetReport;
}

interface DatasetRow {
  id: string;
  project_id: string;
  name: string;
  mode: DatasetMode;
  root_path: string;
  created_at: string;
  counts: string | null;
}

interface ImageRow {
  path: string;
  side: 'A' | 'B' | 'AB';
  hash: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Stores an imported dataset in one transaction: a `datasets` row holding the full report as JSON
 * and an `images` row per file (side `AB` for aligned images, `A`/`B` for paired files and for the
 * two sides of an unaligned dataset, `B` for the photos of a single folder, since A is derived from
 * them). Returns the new dataset's id.
 */
export function saveDataset(
  db: Database.Database,
  projectId: string,
  report: DatasetReport,
  name: string,
  now: Date = new Date(),
): string {
  const trimmed = name.trim();
  if (!trimmed) throw new StudioError('invalid-payload', 'A dataset needs a name.');
  const id = randomUUID();
  const insertDataset = db.prepare(
    `INSERT INTO datasets (id, project_id, name, mode, root_path, report_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertImage = db.prepare(
    `INSERT INTO images (dataset_id, path, side, split, content_hash, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    if (!db.prepare(`SELECT 1 FROM projects WHERE id = ?`).get(projectId)) {
      throw new StudioError('not-found', `No project with id ${projectId}: it may have been deleted.`);
    }
    insertDataset.run(
      id,
      projectId,
      trimmed,
      report.mode,
      report.root,
      JSON.stringify(report),
      now.toISOString(),
    );
    for (const split of SPLIT_NAMES) {
      const rows = [
        ...report.splits[split].flatMap((pair) => imageRows(report.mode, pair)),
        ...sideRows(report.unaligned?.splits[split]),
      ];
      for (const row of rows) {
        insertImage.run(id, row.path, row.side, split, row.hash, row.width, row.height, row.bytes);
      }
    }
  })();
  return id;
}

/** A project's datasets, newest first. */
export function listDatasets(db: Database.Database, projectId: string): DatasetSummary[] {
  const rows = db
    .prepare(
      `SELECT id, project_id, name, mode, root_path, created_at, json_extract(report_json, '$.counts') AS counts
       FROM datasets WHERE project_id = ? ORDER BY created_at DESC, name COLLATE NOCASE`,
    )
    .all(projectId) as DatasetRow[];
  return rows.map(toSummary);
}

/** The dataset with this id and its stored report, or a not-found error naming it. */
export function getDataset(db: Database.Database, id: string): StoredDataset {
  const row = db
    .prepare(
      `SELECT id, project_id, name, mode, root_path, created_at, report_json, json_extract(report_json, '$.counts') AS counts
       FROM datasets WHERE id = ?`,
    )
    .get(id) as (DatasetRow & { report_json: string | null }) | undefined;
  if (!row) throw new StudioError('not-found', `No dataset with id ${id}: it may have been deleted.`);
  if (row.report_json === null) {
    throw new StudioError(
      'io',
      `The dataset "${row.name}" has no stored import report; import ${row.root_path} again.`,
    );
  }
  return { ...toSummary(row), report: JSON.parse(row.report_json) as DatasetReport };
}

function imageRows(mode: DatasetMode, pair: Pair): ImageRow[] {
  const a = { path: pair.a, hash: pair.hash, width: pair.width, height: pair.height, bytes: pair.bytes };
  if (mode === 'aligned') return [{ ...a, side: 'AB' }];
  if (pair.b === null || pair.bFile === null) return [{ ...a, side: mode === 'single' ? 'B' : 'A' }];
  return [
    { ...a, side: 'A' },
    { path: pair.b, side: 'B', ...pair.bFile },
  ];
}

function sideRows(split: SideSplit | undefined): ImageRow[] {
  if (split === undefined) return [];
  const row =
    (side: 'A' | 'B') =>
    (image: SideImage): ImageRow => ({
      path: image.path,
      side,
      hash: image.hash,
      width: image.width,
      height: image.height,
      bytes: image.bytes,
    });
  return [...split.a.map(row('A')), ...split.b.map(row('B'))];
}

function toSummary(row: DatasetRow): DatasetSummary {
  const empty: DatasetCounts = {
    train: 0,
    val: 0,
    test: 0,
    pairs: 0,
    imageFiles: 0,
    problems: 0,
    ignoredFiles: 0,
  };
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    mode: row.mode,
    root: row.root_path,
    createdAt: row.created_at,
    counts: row.counts === null ? empty : (JSON.parse(row.counts) as DatasetCounts),
  };
}
