import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../test-support/temp-dir';
import { testEngine } from '../test-support/test-engine';
import { CATALOG_FILE } from './catalog/database';

const tempDir = useTempDir();

describe('engine', () => {
  it('reports versions, data dir, training backends and inference providers that exist', async () => {
    const dir = tempDir();
    const engine = testEngine(dir);
    const info = await engine.handlers['app:info'](undefined);
    expect(info.dataDir).toBe(dir);
    expect(info.versions.node).toBe(process.versions.node);
    expect(info.trainingBackends.map((b) => b.name)).toEqual(['node', 'wasm', 'cpu']);
    expect(info.trainingBackends.find((b) => b.name === 'cpu')?.available).toBe(true);
    expect(info.trainingBackends.find((b) => b.name === 'wasm')?.available).toBe(true);
    expect(info.inferenceProviders.at(-1)).toMatchObject({ name: 'cpu', available: true });
    engine.close();
  });

  it('carries the corrupt-catalog notice into app info', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, CATALOG_FILE), 'garbage'.repeat(200));
    const engine = testEngine(dir);
    const info = await engine.handlers['app:info'](undefined);
    expect(info.notices).toHaveLength(1);
    expect(info.notices[0]?.message).toMatch(/moved to .*catalog\.corrupt-/);
    engine.close();
  });

  it('emits projects:changed with the new list on create, rename, open and delete', async () => {
    const engine = testEngine(tempDir());
    const seen: string[][] = [];
    engine.bus.subscribe((event, payload) => {
      if (event === 'projects:changed') seen.push((payload as { name: string }[]).map((p) => p.name));
    });
    const project = await engine.handlers['projects:create']({ name: 'One' });
    await engine.handlers['projects:rename']({ id: project.id, name: 'Uno' });
    await engine.handlers['projects:open']({ id: project.id });
    await engine.handlers['projects:delete']({ id: project.id });
    expect(seen).toEqual([['One'], ['Uno'], ['Uno'], []]);
    engine.close();
  });

  it('uses the host folder dialog where there is one and says so where there is none', async () => {
    const picker = vi.fn(async () => '/data/facades');
    const withDialog = testEngine(tempDir(), picker);
    expect(await withDialog.handlers['dialog:pick-folder']({ title: 'Pick' })).toBe('/data/facades');
    expect(picker).toHaveBeenCalledWith('Pick');
    withDialog.close();
    const without = testEngine(tempDir());
    await expect(without.handlers['dialog:pick-folder']({})).rejects.toThrow(/use the folder browser/);
    without.close();
  });
});
