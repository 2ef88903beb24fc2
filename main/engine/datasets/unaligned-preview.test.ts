import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { openCatalog } from '../catalog/database';
import { ProjectStore } from '../catalog/project-store';
import { datasetHandlers } from '../dataset-handlers';
import { writeSolid } from './test-images';

const tempDir = useTempDir();

/** The red channel of a PNG data URL's first pixel: the id of the test image it shows. */
async function idOf(dataUrl: string): Promise<number> {
  const png = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return data[0]!;
}

describe('datasets handlers with an unaligned dataset', () => {
  it('imports two folders as unaligned and previews an A sample beside a B sample', async () => {
    const [a, b] = [tempDir(), tempDir()];
    for (let i = 0; i < 3; i += 1) await writeSolid(join(a, `${i}.png`), 140, 140, 10 + i);
    for (let i = 0; i < 2; i += 1) await writeSolid(join(b, `${i}.png`), 150, 130, 20 + i);
    const dir = tempDir();
    const { db, close } = openCatalog(dir);
    const projects = new ProjectStore(db, join(dir, 'projects'));
    const project = projects.create('Unpaired');
    const handlers = datasetHandlers(db, projects);
    const view = await handlers['datasets:import']({
      projectId: project.id,
      root: a,
      secondRoot: b,
      mode: 'unaligned',
    });
    expect(view).toMatchObject({ mode: 'unaligned', sides: { trainA: 3, trainB: 2, testA: 0, testB: 0 } });
    const samples = await handlers['datasets:preview']({ datasetId: view.id, count: 3, seed: 1 });
    expect(samples).toHaveLength(3);
    for (const sample of samples) {
      expect([10, 11, 12]).toContain(await idOf(sample.a));
      expect([20, 21]).toContain(await idOf(sample.b));
    }
    close();
  });
});
