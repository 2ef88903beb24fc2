import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { openCatalog } from '../catalog/database';
import { datasetView } from '../dataset-handlers';
import { ProjectStore } from '../catalog/project-store';
import { getDataset, listDatasets, saveDataset } from './dataset-store';
import { scanDataset } from './scan-dataset';
import { writeAligned, writeSolid } from './test-images';

const tempDir = useTempDir();

function catalog(): { db: ReturnType<typeof openCatalog>['db']; projectId: string; close: () => void } {
  const dir = tempDir();
  const opened = openCatalog(dir);
  const project = new ProjectStore(opened.db, join(dir, 'projects')).create('Shapes');
  return { db: opened.db, projectId: project.id, close: opened.close };
}

describe('dataset store', () => {
  it('saves an aligned dataset with one image row per file and returns the report as saved', async () => {
    const root = tempDir();
    for (let i = 0; i < 4; i += 1) await writeAligned(join(root, 'train', `${i}.png`), 8, i);
    await writeAligned(join(root, 'test', 'x.png'), 8, 9);
    const report = await scanDataset(root, { cropSize: 8 });
    const { db, projectId, close } = catalog();
    const id = saveDataset(db, projectId, report, '  Shapes v1 ', new Date('2026-01-02T03:04:05Z'));
    const stored = getDataset(db, id);
    expect(stored).toMatchObject({
      id,
      projectId,
      name: 'Shapes v1',
      mode: 'aligned',
      root,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    expect(stored.report).toEqual(report);
    expect(stored.counts).toEqual(report.counts);
    const rows = db
      .prepare(
        `SELECT side, split, COUNT(*) AS n FROM images WHERE dataset_id = ? GROUP BY side, split ORDER BY split`,
      )
      .all(id);
    expect(rows).toEqual([
      { side: 'AB', split: 'test', n: 1 },
      { side: 'AB', split: 'train', n: 3 },
      { side: 'AB', split: 'val', n: 1 },
    ]);
    const first = report.splits.train[0]!;
    expect(
      db.prepare(`SELECT content_hash, width, height, bytes FROM images WHERE path = ?`).get(first.a),
    ).toEqual({
      content_hash: first.hash,
      width: first.width,
      height: first.height,
      bytes: first.bytes,
    });
    close();
  });

  it('stores both files of a paired dataset and lists datasets newest first', async () => {
    const root = tempDir();
    for (let i = 0; i < 2; i += 1) {
      await writeSolid(join(root, 'A', `${i}.png`), 8, 8, i);
      await writeSolid(join(root, 'B', `${i}.png`), 8, 8, 50 + i);
    }
    const report = await scanDataset(root, { cropSize: 8 });
    const { db, projectId, close } = catalog();
    const older = saveDataset(db, projectId, report, 'Old', new Date('2026-01-01T00:00:00Z'));
    const newer = saveDataset(db, projectId, report, 'New', new Date('2026-02-01T00:00:00Z'));
    expect(db.prepare(`SELECT side FROM images WHERE dataset_id = ? ORDER BY side, path`).all(newer)).toEqual(
      [{ side: 'A' }, { side: 'A' }, { side: 'B' }, { side: 'B' }],
    );
    const listed = listDatasets(db, projectId);
    expect(listed.map((d) => d.id)).toEqual([newer, older]);
    expect(listed[0]).toMatchObject({ name: 'New', mode: 'paired', counts: report.counts });
    expect(listDatasets(db, 'someone-else')).toEqual([]);
    close();
  });

  it('stores each side of an unaligned dataset and shows its side counts and notes', async () => {
    const root = tempDir();
    for (let i = 0; i < 4; i += 1) await writeSolid(join(root, 'trainA', `${i}.png`), 8, 8, i);
    await writeSolid(join(root, 'trainB', '0.png'), 8, 8, 50);
    await writeSolid(join(root, 'testA', '0.png'), 8, 8, 60);
    await writeSolid(join(root, 'testB', '0.png'), 8, 8, 70);
    const report = await scanDataset(root, { cropSize: 8 });
    const { db, projectId, close } = catalog();
    const id = saveDataset(db, projectId, report, 'Horses and zebras');
    const rows = db
      .prepare(
        `SELECT side, split, COUNT(*) AS n FROM images WHERE dataset_id = ? GROUP BY side, split ORDER BY split, side`,
      )
      .all(id);
    expect(rows).toEqual([
      { side: 'A', split: 'test', n: 1 },
      { side: 'B', split: 'test', n: 1 },
      { side: 'A', split: 'train', n: 4 },
      { side: 'B', split: 'train', n: 1 },
    ]);
    expect(getDataset(db, id).report).toEqual(report);
    const view = datasetView(db, listDatasets(db, projectId)[0]!);
    expect(view).toMatchObject({ mode: 'unaligned', sides: { trainA: 4, trainB: 1, testA: 1, testB: 1 } });
    expect(view.notes).toEqual(report.notes);
    expect(view.notes![0]).toMatch(/trainA.* has 4 images, trainB.* 1: each epoch sees every A image once/);
    close();
  });

  it('shows no sides or notes for a paired dataset', async () => {
    const root = tempDir();
    await writeSolid(join(root, 'A', '0.png'), 8, 8, 0);
    await writeSolid(join(root, 'B', '0.png'), 8, 8, 1);
    const { db, projectId, close } = catalog();
    saveDataset(db, projectId, await scanDataset(root, { cropSize: 8 }), 'Paired');
    const view = datasetView(db, listDatasets(db, projectId)[0]!);
    expect(view).not.toHaveProperty('sides');
    expect(view).not.toHaveProperty('notes');
    close();
  });

  it('writes nothing when the project does not exist, and names unknown ids', async () => {
    const root = tempDir();
    await writeSolid(join(root, '1.png'), 8, 8, 1);
    const report = await scanDataset(root, { cropSize: 8 });
    const { db, close } = catalog();
    expect(() => saveDataset(db, 'missing', report, 'x')).toThrow('No project with id missing');
    expect(db.prepare(`SELECT COUNT(*) AS n FROM datasets`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM images`).get()).toEqual({ n: 0 });
    expect(() => getDataset(db, 'nope')).toThrow('No dataset with id nope');
    close();
  });

  it('rolls back the dataset row when an image row fails', async () => {
    const root = tempDir();
    await writeSolid(join(root, '1.png'), 8, 8, 1);
    await writeSolid(join(root, '2.png'), 8, 8, 2);
    const report = await scanDataset(root, { cropSize: 8, valFraction: 0 });
    const clash = { ...report, splits: { ...report.splits, val: [report.splits.train[0]!] } };
    const { db, projectId, close } = catalog();
    expect(() => saveDataset(db, projectId, clash, 'Broken')).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM datasets`).get()).toEqual({ n: 0 });
    expect(() => saveDataset(db, projectId, report, '   ')).toThrow('A dataset needs a name.');
    close();
  });
});
