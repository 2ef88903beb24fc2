import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { StudioError } from '../errors';
import type { DatasetReport, Problem } from './dataset-report';
import { PairLoader, UnpairedLoader, type Batch } from './pipeline';
import { scanDataset } from './scan-dataset';
import { colorOf, writeAligned, writeHalves, writeSolid } from './test-images';

const tempDir = useTempDir();
const SAMPLE = 8 * 8 * 3;
const B_IDS = 100;

/** trainA/ with A ids 0…, trainB/ with B ids 100…, and optional testA/ (ids 50…) and testB/ (ids 150…). */
async function unaligned(nA: number, nB: number, test = 0): Promise<DatasetReport> {
  const root = tempDir();
  for (let i = 0; i < nA; i += 1) await writeSolid(join(root, 'trainA', `${i}.png`), 8, 8, i);
  for (let i = 0; i < nB; i += 1) await writeSolid(join(root, 'trainB', `${i}.png`), 10, 12, B_IDS + i);
  for (let i = 0; i < test; i += 1) {
    await writeSolid(join(root, 'testA', `${i}.png`), 8, 8, 50 + i);
    await writeSolid(join(root, 'testB', `${i}.png`), 8, 8, 150 + i);
  }
  return scanDataset(root, { cropSize: 8 });
}

/** The ids of a batch's samples on one side, read back from the red channel of their first pixel. */
function ids(batch: Batch, side: 'a' | 'b'): number[] {
  return Array.from({ length: batch.batch }, (_, i) => Math.round((batch[side][i * SAMPLE]! + 1) * 127.5));
}

async function take(loader: UnpairedLoader, n: number): Promise<Batch[]> {
  const batches: Batch[] = [];
  for (let i = 0; i < n; i += 1) batches.push(await loader.next());
  return batches;
}

const count = (values: number[]): Map<number, number> => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
};

describe('UnpairedLoader: epochs and sampling', () => {
  it('makes an epoch of max(|A|, |B|) samples and sees every A image once when A is larger', async () => {
    const loader = new UnpairedLoader(await unaligned(7, 3), { batchSize: 2, seed: 1 });
    expect(loader.samplesPerEpoch).toBe(7);
    expect(loader.stepsPerEpoch).toBe(4);
    const batches = await take(loader, 8);
    expect(batches.map((b) => [b.epoch, b.indexInEpoch, b.batch])).toEqual([
      [0, 0, 2],
      [0, 1, 2],
      [0, 2, 2],
      [0, 3, 1],
      [1, 0, 2],
      [1, 1, 2],
      [1, 2, 2],
      [1, 3, 1],
    ]);
    expect(batches[0]!.a.length).toBe(2 * SAMPLE);
    expect(batches[0]!.b.length).toBe(2 * SAMPLE);
    const epoch0 = batches.slice(0, 4).flatMap((b) => ids(b, 'a'));
    const epoch1 = batches.slice(4).flatMap((b) => ids(b, 'a'));
    expect([...epoch0].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...epoch1].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(epoch1).not.toEqual(epoch0);
    const bIds = batches.flatMap((b) => ids(b, 'b'));
    expect(bIds.every((id) => id >= B_IDS && id < B_IDS + 3)).toBe(true);
    const [, green, blue] = colorOf(0);
    expect(Math.round((batches[0]!.a[1]! + 1) * 127.5)).toBe(green);
    expect(Math.round((batches[0]!.a[2]! + 1) * 127.5)).toBe(blue);
  });

  it('wraps A when B is larger, so an epoch has as many samples as B has images', async () => {
    const loader = new UnpairedLoader(await unaligned(2, 5), { seed: 4 });
    expect(loader.samplesPerEpoch).toBe(5);
    const epoch = await take(loader, 5);
    expect(epoch.every((b) => b.epoch === 0)).toBe(true);
    expect((await loader.next()).epoch).toBe(1);
    const timesA = [...count(epoch.flatMap((b) => ids(b, 'a'))).values()].sort();
    expect(timesA).toEqual([2, 3]);
  });

  it('draws B at random with replacement and covers all of B', async () => {
    const small = new UnpairedLoader(await unaligned(12, 3), { seed: 2 });
    const drawn = (await take(small, 48)).flatMap((b) => ids(b, 'b'));
    expect(new Set(drawn)).toEqual(new Set([100, 101, 102]));
    const even = new UnpairedLoader(await unaligned(6, 6), { seed: 2 });
    const epochs: number[][] = [];
    for (let e = 0; e < 4; e += 1) epochs.push((await take(even, 6)).flatMap((b) => ids(b, 'b')));
    expect(epochs.some((epoch) => new Set(epoch).size < epoch.length)).toBe(true);
  });

  it('takes A in order and B at the same index without shuffling (serial batches)', async () => {
    const loader = new UnpairedLoader(await unaligned(5, 3), { shuffle: false, seed: 9 });
    const batches = await take(loader, 5);
    expect(batches.flatMap((b) => ids(b, 'a'))).toEqual([0, 1, 2, 3, 4]);
    expect(batches.flatMap((b) => ids(b, 'b'))).toEqual([100, 101, 102, 100, 101]);
  });

  it('flips A and B independently', async () => {
    const root = tempDir();
    for (let i = 0; i < 4; i += 1) {
      await writeHalves(join(root, 'trainA', `${i}.png`), 8, i);
      await writeHalves(join(root, 'trainB', `${i}.png`), 8, B_IDS + i);
    }
    const report = await scanDataset(root, { cropSize: 8 });
    const loader = new UnpairedLoader(report, { seed: 5, preprocess: 'none' });
    const flipped = (data: Float32Array): boolean =>
      Math.round((data[1]! + 1) * 127.5) === colorOf(0, 'B')[1];
    const flips = (await take(loader, 16)).map((b) => [flipped(b.a), flipped(b.b)]);
    expect(flips.some(([a]) => a)).toBe(true);
    expect(flips.some(([a]) => !a)).toBe(true);
    expect(flips.some(([a, b]) => a !== b)).toBe(true);
    expect(flips.some(([a, b]) => a === b)).toBe(true);
  });
});

describe('UnpairedLoader: determinism and resuming', () => {
  it('gives the same samples for a seed and others for another seed', async () => {
    const report = await unaligned(5, 4);
    const first = await take(new UnpairedLoader(report, { batchSize: 2, seed: 3 }), 6);
    const again = await take(new UnpairedLoader(report, { batchSize: 2, seed: 3, prefetch: 1 }), 6);
    expect(again).toEqual(first);
    const other = await take(new UnpairedLoader(report, { batchSize: 2, seed: 4 }), 6);
    const order = (batches: Batch[]): number[][] => batches.map((b) => [...ids(b, 'a'), ...ids(b, 'b')]);
    expect(order(other)).not.toEqual(order(first));
  });

  it('resumes exactly mid-epoch from a saved state, in the same loader or a new one', async () => {
    const report = await unaligned(7, 3);
    const options = { batchSize: 2, seed: 11, prefetch: 3 };
    const loader = new UnpairedLoader(report, options);
    await take(loader, 2);
    const saved = JSON.parse(JSON.stringify(loader.state()));
    expect(saved).toMatchObject({ epoch: 0, position: 4, batchInEpoch: 2 });
    const expected = await take(loader, 7);
    const fresh = new UnpairedLoader(report, options);
    fresh.restore(saved);
    expect(await take(fresh, 7)).toEqual(expected);
    loader.restore(saved);
    expect(await take(loader, 7)).toEqual(expected);
  });

  it('swaps the sides for BtoA without changing what is drawn', async () => {
    const report = await unaligned(3, 2);
    const forward = await take(new UnpairedLoader(report, { seed: 6 }), 3);
    const backward = await take(new UnpairedLoader(report, { seed: 6, direction: 'BtoA' }), 3);
    expect(backward.map((b) => ids(b, 'a'))).toEqual(forward.map((b) => ids(b, 'b')));
    expect(backward.map((b) => ids(b, 'b'))).toEqual(forward.map((b) => ids(b, 'a')));
  });
});

describe('UnpairedLoader: fixed images, failures and bad use', () => {
  it('loads fixed held-out A and B images for the validation strip', async () => {
    const report = await unaligned(4, 4, 3);
    const loader = new UnpairedLoader(report, { seed: 1 });
    const fixed = await loader.loadFixed(2, 'test');
    expect(fixed.map((f) => [f.split, f.bSplit])).toEqual([
      ['test', 'test'],
      ['test', 'test'],
    ]);
    expect(fixed.map((f) => [Math.round((f.a[0]! + 1) * 127.5), Math.round((f.b[0]! + 1) * 127.5)])).toEqual([
      [50, 150],
      [51, 151],
    ]);
    expect(fixed[0]!.file).toBe(join(report.root, 'testA', '0.png'));
    expect(fixed[0]!.bFile).toBe(join(report.root, 'testB', '0.png'));
    expect(fixed.every((f) => f.a.length === SAMPLE && f.b.length === SAMPLE)).toBe(true);
    expect(await new UnpairedLoader(report, { seed: 99 }).loadFixed(2)).toEqual(fixed);
    expect(await loader.loadFixed(10)).toHaveLength(3);
    const swapped = await new UnpairedLoader(report, { direction: 'BtoA' }).loadFixed(1);
    expect([swapped[0]!.file, swapped[0]!.bFile]).toEqual([fixed[0]!.bFile, fixed[0]!.file]);
    const noTest = await unaligned(3, 2);
    const fromTrain = await new UnpairedLoader(noTest).loadFixed(4);
    expect(fromTrain.map((f) => f.split)).toEqual(['train', 'train']);
  });

  it('pairs held-out A and B images by file name for an L1 against ground truth, when names match', async () => {
    const report = await unaligned(4, 4, 3);
    rmSync(join(report.root, 'testB', '1.png'));
    await writeSolid(join(report.root, 'testB', 'other.png'), 8, 8, 160);
    const loader = new UnpairedLoader(await scanDataset(report.root, { cropSize: 8 }), { seed: 1 });
    const matched = await loader.loadMatched(5, 'test');
    expect(
      matched.map((m) => [Math.round((m.a[0]! + 1) * 127.5), Math.round((m.b[0]! + 1) * 127.5)]),
    ).toEqual([
      [50, 150],
      [52, 152],
    ]);
    const rescanned = await scanDataset(report.root, { cropSize: 8 });
    const swapped = await new UnpairedLoader(rescanned, { direction: 'BtoA' }).loadMatched(1);
    expect(
      swapped.map((m) => [Math.round((m.a[0]! + 1) * 127.5), Math.round((m.b[0]! + 1) * 127.5)]),
    ).toEqual([[150, 50]]);
    const [first, second] = [tempDir(), tempDir()];
    for (let i = 0; i < 12; i += 1) {
      await writeSolid(join(first, `${i}.png`), 8, 8, i);
      await writeSolid(join(second, `${i}.png`), 8, 8, B_IDS + i);
    }
    const heldOutByUs = await scanDataset(first, { cropSize: 8, mode: 'unaligned', secondRoot: second });
    expect(heldOutByUs.unaligned?.testFromTrain).toBe(true);
    expect(await new UnpairedLoader(heldOutByUs).loadMatched(12)).toEqual([]);
  });

  it('draws another B image when one fails to load, and reports it once', async () => {
    const report = await unaligned(6, 3);
    const broken = report.unaligned!.splits.train.b[1]!.path;
    writeFileSync(broken, 'no longer an image');
    const problems: Problem[] = [];
    const loader = new UnpairedLoader(report, { seed: 2, onProblem: (p) => problems.push(p) });
    const batches = await take(loader, 12);
    expect(batches.every((b) => b.batch === 1)).toBe(true);
    expect(batches.filter((b) => b.epoch === 0)).toHaveLength(6);
    expect(batches.flatMap((b) => ids(b, 'b')).includes(101)).toBe(false);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: broken, kind: 'not-an-image' });
    expect(problems[0]!.message).toMatch(/trainB.1\.png: it is not an image .* It was skipped\./);
  });

  it('fails with a clear error when no A image can be loaded', async () => {
    const report = await unaligned(2, 2);
    for (const image of report.unaligned!.splits.train.a) rmSync(image.path);
    const error = await new UnpairedLoader(report).next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as Error).message).toMatch(
      /^No sample of the train split of .* could be loaded\. The last problem: Cannot read .*the file does not exist/,
    );
  });

  it('refuses paired reports, empty sides, bad states and use after close', async () => {
    const root = tempDir();
    await writeAligned(join(root, 'train', '0.png'), 8, 0);
    const aligned = await scanDataset(root, { cropSize: 8 });
    expect(() => new UnpairedLoader(aligned)).toThrow(
      /was imported as aligned, not unaligned: import its A and B folders as unaligned/,
    );
    const report = await unaligned(3, 2);
    expect(() => new PairLoader(report)).toThrow(/is an unaligned dataset: its A and B images are not pairs/);
    expect(() => new UnpairedLoader(report, { split: 'test' })).toThrow(
      /The test split of .* has 0 A and 0 B images: a CycleGAN needs images on both sides\./,
    );
    const loader = new UnpairedLoader(report);
    expect(() => loader.restore({ epoch: 0, position: 3, batchInEpoch: 0, rng: [1, 2, 3, 4] })).toThrow(
      /does not fit the train split of .*whose epochs have 3 samples/,
    );
    const pending = loader.next();
    expect(() => loader.restore(loader.state())).toThrow(/while a batch is loading/);
    await pending;
    loader.close();
    await expect(loader.next()).rejects.toThrow('The data loader was closed.');
  });
});
