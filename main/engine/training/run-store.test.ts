import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../catalog/database';
import { ProjectStore } from '../catalog/project-store';
import { useTempDir } from '../../test-support/temp-dir';
import { trainConfigSchema } from './run-config';
import { RunStore } from './run-store';

const tempDir = useTempDir();

describe('RunStore.markOrphansCrashed', () => {
  it('marks runs whose hosting process is gone as crashed and leaves runs of live processes alone', () => {
    const dir = tempDir();
    const catalog = openCatalog(dir);
    const project = new ProjectStore(catalog.db, join(dir, 'projects')).create('Runs');
    const runs = new RunStore(catalog.db);
    const config = trainConfigSchema.parse({ model: 'pix2pix', data: { root: '/data' } });
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const mine = runs.create({
      id: 'a0000000-0000-4000-8000-000000000001',
      projectId: project.id,
      config,
      runDir: '/r/1',
    });
    const orphan = runs.create({
      id: 'a0000000-0000-4000-8000-000000000002',
      projectId: project.id,
      config,
      runDir: '/r/2',
    });
    const unclaimed = runs.create({
      id: 'a0000000-0000-4000-8000-000000000003',
      projectId: project.id,
      config,
      runDir: '/r/3',
    });
    for (const run of [mine, orphan, unclaimed]) runs.setStatus(run.id, 'running');
    runs.claim(mine.id);
    catalog.db.prepare(`UPDATE runs SET host_pid = ? WHERE id = ?`).run(deadPid, orphan.id);

    runs.markOrphansCrashed();
    expect(runs.get(mine.id).status).toBe('running');
    expect(runs.get(orphan.id).status).toBe('crashed');
    expect(runs.get(orphan.id).error).toMatch(/resume it to continue/);
    expect(runs.get(unclaimed.id).status).toBe('crashed');
    catalog.close();
  });
});
