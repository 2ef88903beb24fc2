import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { StudioError } from '../errors';
import type { DatasetReport, Problem } from './dataset-report';
import { fromFloatHWC } from './image-io';
import { PairLoader, type Batch } from './pipeline';
import { scanDataset } from './scan-dataset';
import { writeAligned, writeSolid } from './test-images';

const tempDir = useTempDir();
const SAMPLE = 16 * 16 * 3;

async function alignedDataset(train: number, val = 2): Promise<DatasetReport> {
  const root = tempDir();
  for (let i = 0; i < train; i += 1) await writeAligned(join(root, 'train', `${i}.png`), 16, i);
  for (let i = 0; i < val; i += 1) await writeAligned(join(root, 'val', `${i}.png`), 16, 100 + i);
  return scanDataset(root, { cropSize: 16 });
}

/** The ids of a batch's samples, read back from the red channel of their first pixel. */
function ids(batch: Batch, side: 'a' | 'b' = 'a'): number[] {
  return Array.from({ length: batch.batch }, (_, i) => Math.round((batch[side][i * SAMPLE]! + 1) * 127.5));
}

const green = (data: Float32Array): number => Math.round((data[1]! + 1) * 127.5);

async function take(loader: PairLoader, n: number): Promise<Batch[]> {
  const batches: Batch[] = [];
  for (let i = 0; i < n; i += 1) batches.push(await loader.next());
  return batches;
}

describe('PairLoader', () => {
  it('visits every pair once per epoch in NHWC batches, reshuffling each epoch', async () => {
    const report = await alignedDataset(10);
    const loader = new PairLoader(report, { batchSize: 3, seed: 1 });
    expect(loader.stepsPerEpoch).toBe(4);
    const batches = await take(loader, 8);
    expect(batches.map((b) => [b.epoch, b.indexInEpoch, b.batch])).toEqual([
      [0, 0, 3],
      [0, 1, 3],
      [0, 2, 3],
      [0, 3, 1],
      [1, 0, 3],
      [1, 1, 3],
      [1, 2, 3],
      [1, 3, 1],
    ]);
    expect(batches[0]!.a.length).toBe(3 * SAMPLE);
    expect(batches[0]!.b.length).toBe(3 * SAMPLE);
    const epoch0 = batches.slice(0, 4).flatMap((b) => ids(b));
    const epoch1 = batches.slice(4).flatMap((b) => ids(b));
    expect([...epoch0].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epoch1].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch1).not.toEqual(epoch0);
    expect(ids(batches[0]!, 'b')).toEqual(ids(batches[0]!));
    expect(green(batches[0]!.a)).toBe(40);
    expect(green(batches[0]!.b)).toBe(200);
  });

  it('is deterministic for a seed and swaps the sides for BtoA', async () => {
    const report = await alignedDataset(6);
    const first = await take(new PairLoader(report, { batchSize: 2, seed: 3 }), 5);
    const again = await take(new PairLoader(report, { batchSize: 2, seed: 3 }), 5);
    expect(again).toEqual(first);
    const other = await take(new PairLoader(report, { batchSize: 2, seed: 4 }), 5);
    expect(other.flatMap((b) => ids(b))).not.toEqual(first.flatMap((b) => ids(b)));
    const swapped = await new PairLoader(report, { seed: 3, direction: 'BtoA' }).next();
    expect(green(swapped.a)).toBe(200);
    expect(green(swapped.b)).toBe(40);
  });

  it('resumes exactly from a saved state, in the same loader or a new one', async () => {
    const report = await alignedDataset(7);
    const options = { batchSize: 2, seed: 11, prefetch: 3 };
    const loader = new PairLoader(report, options);
    await take(loader, 5);
    const saved = JSON.parse(JSON.stringify(loader.state()));
    const expected = await take(loader, 6);
    const fresh = new PairLoader(report, options);
    fresh.restore(saved);
    expect(await take(fresh, 6)).toEqual(expected);
    loader.restore(saved);
    expect(await take(loader, 6)).toEqual(expected);
  });

  it('skips a file that fails mid-training and reports it once', async () => {
    const report = await alignedDataset(5);
    const broken = report.splits.train[2]!.a;
    writeFileSync(broken, 'no longer an image');
    const problems: Problem[] = [];
    const loader = new PairLoader(report, { seed: 2, onProblem: (p) => problems.push(p) });
    const batches = await take(loader, 8);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: broken, kind: 'not-an-image' });
    expect(problems[0]!.message).toMatch(/train.2\.png: it is not an image .* It was skipped\./);
    const epoch0 = batches.filter((b) => b.epoch === 0).flatMap((b) => ids(b));
    expect(epoch0.sort()).toEqual([0, 1, 3, 4]);
    expect(batches.every((b) => !ids(b).includes(2))).toBe(true);
  });

  it('fails with a clear error when no file of the split can be loaded', async () => {
    const report = await alignedDataset(3);
    for (const pair of report.splits.train) rmSync(pair.a);
    const loader = new PairLoader(report, { batchSize: 2 });
    const error = await loader.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as Error).message).toMatch(
      /^No image of the train split of .* could be loaded\. The last problem: Cannot read .*the file does not exist/,
    );
  });

  it('keeps samples decoded ahead, so they survive the files going away', async () => {
    const report = await alignedDataset(12);
    const problems: Problem[] = [];
    const loader = new PairLoader(report, { seed: 5, prefetch: 4, onProblem: (p) => problems.push(p) });
    await loader.next();
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const pair of report.splits.train) rmSync(pair.a);
    const ready = await take(loader, 4);
    expect(ready.every((b) => b.batch === 1)).toBe(true);
    expect(problems).toEqual([]);
    await expect(loader.next()).rejects.toThrow(/could be loaded/);
    expect(problems.length).toBeGreaterThan(0);
  });

  it('loads a fixed, non-augmented set of val pairs', async () => {
    const report = await alignedDataset(4, 5);
    const loader = new PairLoader(report, { seed: 1 });
    const fixed = await loader.loadFixed(3);
    expect(fixed.map((pair) => pair.file)).toEqual(
      [0, 1, 3].map((i) => join(report.root, 'val', `${i}.png`)),
    );
    expect(
      fixed.every((pair) => pair.split === 'val' && pair.a.length === SAMPLE && pair.b.length === SAMPLE),
    ).toBe(true);
    expect(fixed.map((pair) => Math.round((pair.a[0]! + 1) * 127.5))).toEqual([100, 101, 103]);
    expect(fixed.map((pair) => green(pair.b))).toEqual([200, 200, 200]);
    expect(await new PairLoader(report, { seed: 99 }).loadFixed(3)).toEqual(fixed);
    expect(await loader.loadFixed(50)).toHaveLength(5);
    const noVal = { ...report, splits: { ...report.splits, val: [] } };
    expect((await new PairLoader(noVal).loadFixed(2))[0]!.split).toBe('train');
  });

  it('derives pairs for a single folder and insists on a derivation', async () => {
    const root = tempDir();
    for (let i = 0; i < 3; i += 1) await writeSolid(join(root, `${i}.png`), 20, 20, 60 + i);
    const report = await scanDataset(root, { cropSize: 16 });
    expect(() => new PairLoader(report)).toThrow(/choose how to derive pairs/);
    const batch = await new PairLoader(report, { derive: 'gray2color' }).next();
    const [a, b] = [fromFloatHWC(batch.a), fromFloatHWC(batch.b)];
    expect(a[0]).toBe(a[1]);
    expect(a[0]).toBe(Math.round(0.299 * b[0]! + 0.587 * b[1]! + 0.114 * b[2]!));
  });

  it('refuses bad settings and states', async () => {
    const report = await alignedDataset(3, 0);
    expect(() => new PairLoader(report, { split: 'test' })).toThrow(/The test split of .* has no pairs/);
    expect(() => new PairLoader(report, { batchSize: 0 })).toThrow(/batch size must be a positive/);
    const loader = new PairLoader(report);
    expect(() => loader.restore({ epoch: 0, position: 99, batchInEpoch: 0, rng: [1, 2, 3, 4] })).toThrow(
      /does not fit the train split/,
    );
    const pending = loader.next();
    expect(() => loader.restore(loader.state())).toThrow(/while a batch is loading/);
    await pending;
    loader.close();
    await expect(loader.next()).rejects.toThrow('The data loader was closed.');
  });
});
