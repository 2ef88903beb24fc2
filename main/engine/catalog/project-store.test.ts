import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { openCatalog } from './database';
import { ProjectStore } from './project-store';

const tempDir = useTempDir();

function store(): { projects: ProjectStore; close: () => void; dir: string } {
  const dir = tempDir();
  const catalog = openCatalog(dir);
  let tick = 0;
  const now = (): Date => new Date(Date.UTC(2026, 10, 22, 10, 0, tick++));
  return { projects: new ProjectStore(catalog.db, join(dir, 'projects'), now), close: catalog.close, dir };
}

describe('ProjectStore', () => {
  it('creates a project with its own folder and lists it', () => {
    const { projects, close } = store();
    const project = projects.create('Facades');
    expect(project.name).toBe('Facades');
    expect(project.openedAt).toBeNull();
    expect(existsSync(projects.folderOf(project.id))).toBe(true);
    expect(projects.list().map((p) => p.name)).toEqual(['Facades']);
    close();
  });

  it('refuses a second project with the same name in any case', () => {
    const { projects, close } = store();
    projects.create('Maps');
    expect(() => projects.create('maps')).toThrow('A project named "maps" already exists.');
    close();
  });

  it('renames, keeping the id, and refuses a name another project has', () => {
    const { projects, close } = store();
    const a = projects.create('A');
    projects.create('B');
    expect(projects.rename(a.id, 'A prime')).toMatchObject({ id: a.id, name: 'A prime' });
    expect(() => projects.rename(a.id, 'b')).toThrow(/already exists/);
    expect(projects.rename(a.id, 'A prime').name).toBe('A prime');
    close();
  });

  it('lists the most recently opened first', () => {
    const { projects, close } = store();
    const a = projects.create('A');
    projects.create('B');
    projects.open(a.id);
    expect(projects.list().map((p) => p.name)).toEqual(['A', 'B']);
    close();
  });

  it('deletes the row, its runs (cascade) and its folder', () => {
    const { projects, close, dir } = store();
    const project = projects.create('Doomed');
    writeFileSync(join(projects.folderOf(project.id), 'checkpoint.bin'), 'weights');
    const catalog = openCatalog(dir);
    catalog.db
      .prepare(
        `INSERT INTO runs (id, project_id, kind, config_json, status, run_dir, created_at) VALUES ('r', ?, 'pix2pix', '{}', 'done', 'x', 't')`,
      )
      .run(project.id);
    catalog.close();
    projects.delete(project.id);
    expect(projects.list()).toEqual([]);
    expect(existsSync(projects.folderOf(project.id))).toBe(false);
    const check = openCatalog(dir);
    expect(check.db.prepare(`SELECT count(*) AS n FROM runs`).get()).toEqual({ n: 0 });
    check.close();
    close();
  });

  it('names the missing project when an id is unknown', () => {
    const { projects, close } = store();
    const id = '00000000-0000-4000-8000-000000000000';
    expect(() => projects.rename(id, 'x')).toThrow(`No project with id ${id}`);
    expect(() => projects.delete(id)).toThrow(/No project/);
    close();
  });
});
