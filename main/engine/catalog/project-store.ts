import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Project } from '../../../preload/contract';
import { StudioError } from '../errors';

interface ProjectRow {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  opened_at: string | null;
}

const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  openedAt: row.opened_at,
});

/** Projects in the catalog, each with a folder of its own under `<dataDir>/projects/<id>`. */
export class ProjectStore {
  constructor(
    private readonly db: Database.Database,
    private readonly projectsDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every project, most recently opened or changed first. */
  list(): Project[] {
    const rows = this.db
      .prepare(`SELECT * FROM projects ORDER BY COALESCE(opened_at, updated_at) DESC, name COLLATE NOCASE`)
      .all() as ProjectRow[];
    return rows.map(toProject);
  }

  /** The project with this id, or a not-found error naming it. */
  get(id: string): Project {
    const row = this.db.prepare(`SELECT * FROM projects WHERE id = ?`).get(id) as ProjectRow | undefined;
    if (!row) throw new StudioError('not-found', `No project with id ${id}: it may have been deleted.`);
    return toProject(row);
  }

  /** Creates a project and its folder; names are unique regardless of case. */
  create(name: string): Project {
    this.assertNameFree(name);
    const id = randomUUID();
    const stamp = this.now().toISOString();
    mkdirSync(this.folderOf(id), { recursive: true });
    this.db
      .prepare(`INSERT INTO projects (id, name, created_at, updated_at, opened_at) VALUES (?, ?, ?, ?, NULL)`)
      .run(id, name, stamp, stamp);
    return this.get(id);
  }

  /** The project with this name, created when there is none (e.g. for runs started from the CLI). */
  ensure(name: string): Project {
    const row = this.db.prepare(`SELECT * FROM projects WHERE name = ? COLLATE NOCASE`).get(name) as
      | ProjectRow
      | undefined;
    return row ? toProject(row) : this.create(name);
  }

  /** Marks a project as opened now, so it sorts first next time. */
  open(id: string): Project {
    this.get(id);
    this.db.prepare(`UPDATE projects SET opened_at = ? WHERE id = ?`).run(this.now().toISOString(), id);
    return this.get(id);
  }

  /** Renames a project; the new name must not belong to another project. */
  rename(id: string, name: string): Project {
    const current = this.get(id);
    if (current.name === name) return current;
    this.assertNameFree(name, id);
    this.db
      .prepare(`UPDATE projects SET name = ?, updated_at = ? WHERE id = ?`)
      .run(name, this.now().toISOString(), id);
    return this.get(id);
  }

  /** Deletes a project, its catalog rows (cascade) and then its folder. */
  delete(id: string): void {
    this.get(id);
    this.db.prepare(`DELETE FROM projects WHERE id = ?`).run(id);
    rmSync(this.folderOf(id), { recursive: true, force: true });
  }

  /** The folder that holds this project's files. */
  folderOf(id: string): string {
    return join(this.projectsDir, id);
  }

  private assertNameFree(name: string, exceptId?: string): void {
    const clash = this.db
      .prepare(`SELECT id FROM projects WHERE name = ? COLLATE NOCASE AND id IS NOT ?`)
      .get(name, exceptId ?? null);
    if (clash) throw new StudioError('conflict', `A project named "${name}" already exists.`);
  }
}
