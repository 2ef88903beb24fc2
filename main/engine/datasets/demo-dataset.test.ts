import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { renderDemoPair, writeDemoDataset } from './demo-dataset';
import { scanDataset } from './scan-dataset';

const tempDir = useTempDir();

function digest(dir: string): string[] {
  return ['train', 'val', 'test'].flatMap((split) =>
    readdirSync(join(dir, split))
      .sort()
      .map(
        (name) =>
          `${split}/${name}:${createHash('sha256')
            .update(readFileSync(join(dir, split, name)))
            .digest('hex')}`,
      ),
  );
}

describe('writeDemoDataset', () => {
  it('writes an aligned dataset, about 80/10/10, that scans without problems', async () => {
    const dir = tempDir();
    const result = await writeDemoDataset(dir, { count: 20, size: 32, seed: 1 });
    expect(result).toEqual({ root: dir, counts: { train: 16, val: 2, test: 2 } });
    expect(readdirSync(join(dir, 'val')).sort()).toEqual(['0017.png', '0018.png']);
    const report = await scanDataset(dir, { cropSize: 32 });
    expect(report.mode).toBe('aligned');
    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({ train: 16, val: 2, test: 2 });
    expect(report.splits.train[0]).toMatchObject({ width: 64, height: 32, aligned: true });
  });

  it('gives the same files for the same seed and different ones for another', async () => {
    const [one, two, other] = [tempDir(), tempDir(), tempDir()];
    await writeDemoDataset(one, { count: 6, size: 24, seed: 7 });
    await writeDemoDataset(two, { count: 6, size: 24, seed: 7 });
    await writeDemoDataset(other, { count: 6, size: 24, seed: 8 });
    expect(digest(two)).toEqual(digest(one));
    expect(digest(other)).not.toEqual(digest(one));
  });

  it('draws black outlines on white for A and coloured shapes on a light background for B', () => {
    const size = 64;
    const { a, b } = renderDemoPair(size, 3, 0);
    const pixels = size * size;
    let dark = 0;
    let white = 0;
    let saturated = 0;
    let light = 0;
    let tinted = 0;
    for (let p = 0; p < pixels; p += 1) {
      const [r, g, bl] = [a[p * 3]!, a[p * 3 + 1]!, a[p * 3 + 2]!];
      if (r !== g || g !== bl) tinted += 1;
      if (r < 64) dark += 1;
      if (r === 255) white += 1;
      const [br, bg, bb] = [b[p * 3]!, b[p * 3 + 1]!, b[p * 3 + 2]!];
      if (Math.max(br, bg, bb) - Math.min(br, bg, bb) > 80) saturated += 1;
      if (Math.min(br, bg, bb) > 200) light += 1;
    }
    expect(tinted).toBe(0);
    expect(dark).toBeGreaterThan(pixels * 0.02);
    expect(white).toBeGreaterThan(pixels * 0.6);
    expect(saturated).toBeGreaterThan(pixels * 0.05);
    expect(light).toBeGreaterThan(pixels * 0.4);
  });

  it('refuses nonsense sizes', async () => {
    await expect(writeDemoDataset(tempDir(), { count: 0 })).rejects.toThrow(/positive number of pairs/);
    await expect(writeDemoDataset(tempDir(), { size: 8 })).rejects.toThrow(/at least 16 px/);
  });
});
