import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { StudioError } from '../errors';
import type { DatasetReport, ProblemKind } from './dataset-report';
import { scanDataset } from './scan-dataset';
import { writeAligned, writeSolid } from './test-images';

const tempDir = useTempDir();

const names = (report: DatasetReport, split: 'train' | 'val' | 'test'): string[] =>
  report.splits[split].map((pair) => pair.a.slice(report.root.length + 1));

const problemsOf = (report: DatasetReport): Array<[string, ProblemKind]> =>
  report.problems.map((p) => [p.file.slice(report.root.length + 1), p.kind]);

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

describe('scanDataset: layouts', () => {
  it('detects the aligned layout and describes each pair from its header and bytes', async () => {
    const root = tempDir();
    await writeAligned(join(root, 'train', '1.png'), 16, 1);
    await writeAligned(join(root, 'train', '2.png'), 16, 2);
    await writeAligned(join(root, 'train', '10.png'), 16, 3);
    await writeAligned(join(root, 'val', '1.png'), 16, 4);
    await writeAligned(join(root, 'test', '1.png'), 16, 5);
    const report = await scanDataset(root, { cropSize: 16 });
    expect(report.mode).toBe('aligned');
    expect(report.valFromTrain).toBe(false);
    expect(names(report, 'train')).toEqual([
      join('train', '1.png'),
      join('train', '2.png'),
      join('train', '10.png'),
    ]);
    expect(names(report, 'val')).toEqual([join('val', '1.png')]);
    expect(names(report, 'test')).toEqual([join('test', '1.png')]);
    const path = join(root, 'train', '1.png');
    expect(report.splits.train[0]).toEqual({
      a: path,
      b: null,
      aligned: true,
      width: 32,
      height: 16,
      hash: createHash('sha256').update(readFileSync(path)).digest('hex'),
      bytes: statSync(path).size,
      bFile: null,
    });
    expect(report.counts).toEqual({
      train: 3,
      val: 1,
      test: 1,
      pairs: 5,
      imageFiles: 5,
      problems: 0,
      ignoredFiles: 0,
    });
  });

  it('splits a seeded 10% of train off as val when there is no val folder', async () => {
    const root = tempDir();
    for (let i = 0; i < 20; i += 1) await writeAligned(join(root, 'train', `${i}.png`), 8, i);
    const first = await scanDataset(root, { cropSize: 8, seed: 5 });
    expect(first.valFromTrain).toBe(true);
    expect([first.counts.train, first.counts.val, first.counts.test]).toEqual([18, 2, 0]);
    expect(await scanDataset(root, { cropSize: 8, seed: 5 })).toEqual(first);
    const others = await Promise.all([1, 2, 3].map((seed) => scanDataset(root, { cropSize: 8, seed })));
    expect(others.some((other) => names(other, 'val').join() !== names(first, 'val').join())).toBe(true);
    const all = [...names(first, 'train'), ...names(first, 'val')].sort();
    expect(new Set(all).size).toBe(20);
  });

  it('pairs A/ and B/ by file name, whatever the extensions', async () => {
    const root = tempDir();
    await writeSolid(join(root, 'A', 'cat.png'), 16, 16, 1);
    await writeSolid(join(root, 'B', 'cat.jpg'), 20, 18, 2);
    await writeSolid(join(root, 'A', 'dog.png'), 16, 16, 3);
    await writeSolid(join(root, 'B', 'dog.png'), 16, 16, 4);
    await writeSolid(join(root, 'A', 'lonely.png'), 16, 16, 5);
    await writeSolid(join(root, 'B', 'orphan.png'), 16, 16, 6);
    const report = await scanDataset(root, { cropSize: 16, valFraction: 0 });
    expect(report.mode).toBe('paired');
    const cat = report.splits.train.find((pair) => pair.a.endsWith('cat.png'))!;
    expect(cat.b).toBe(join(root, 'B', 'cat.jpg'));
    expect(cat.aligned).toBe(false);
    expect(cat.bFile).toMatchObject({ width: 20, height: 18, bytes: statSync(cat.b!).size });
    expect(report.splits.train).toHaveLength(2);
    expect(problemsOf(report)).toEqual([
      [join('A', 'lonely.png'), 'unmatched'],
      [join('B', 'orphan.png'), 'unmatched'],
    ]);
    expect(report.problems[0]!.message).toBe(
      `${join('A', 'lonely.png')} has no partner: there is no file named lonely.* in B${join('/')}.`,
    );
  });

  it('pairs a folder with a second folder', async () => {
    const [root, second] = [tempDir(), tempDir()];
    for (let i = 0; i < 3; i += 1) {
      await writeSolid(join(root, `${i}.png`), 16, 16, i);
      await writeSolid(join(second, `${i}.png`), 16, 16, 10 + i);
    }
    const report = await scanDataset(root, { cropSize: 16, secondRoot: second });
    expect(report.mode).toBe('paired');
    expect(report.secondRoot).toBe(second);
    expect(report.counts.pairs).toBe(3);
    expect(report.splits.train.every((pair) => pair.b!.startsWith(second))).toBe(true);
  });

  it('keeps the splits of A/train, A/test with B/train, B/test', async () => {
    const root = tempDir();
    for (const [split, n] of [
      ['train', 3],
      ['test', 2],
    ] as const) {
      for (let i = 0; i < n; i += 1) {
        await writeSolid(join(root, 'A', split, `${i}.png`), 16, 16, i + (split === 'test' ? 50 : 0));
        await writeSolid(join(root, 'B', split, `${i}.png`), 16, 16, 100 + i + (split === 'test' ? 50 : 0));
      }
    }
    const report = await scanDataset(root, { cropSize: 16 });
    expect([report.counts.train, report.counts.val, report.counts.test]).toEqual([2, 1, 2]);
    expect(report.splits.test[0]!.b).toBe(join(root, 'B', 'test', '0.png'));
  });

  it('reads a single folder of photos and accepts every colour format', async () => {
    const root = tempDir();
    await writeSolid(join(root, 'plain.png'), 32, 32, 1);
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .toColourspace('b-w')
      .jpeg()
      .toFile(join(root, 'gray.jpg'));
    await sharp({
      create: { width: 32, height: 32, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.5 } },
    })
      .png()
      .toFile(join(root, 'alpha.png'));
    await sharp(new Uint16Array(32 * 32 * 3).fill(40000), { raw: { width: 32, height: 32, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toFile(join(root, 'deep.png'));
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 9, b: 9 } } })
      .toColourspace('cmyk')
      .jpeg()
      .toFile(join(root, 'cmyk.jpg'));
    await sharp({ create: { width: 64, height: 32, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(join(root, 'turned.jpg'));
    writeFileSync(join(root, 'README.txt'), 'not looked at');
    writeFileSync(join(root, '.DS_Store'), 'hidden');
    const report = await scanDataset(root, { cropSize: 32, valFraction: 0 });
    expect(report.mode).toBe('single');
    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({ train: 6, imageFiles: 6, ignoredFiles: 1 });
    expect(report.splits.train.every((pair) => pair.b === null && !pair.aligned)).toBe(true);
    const turned = report.splits.train.find((pair) => pair.a.endsWith('turned.jpg'))!;
    expect([turned.width, turned.height]).toEqual([32, 64]);
  });

  it('honours an explicit mode', async () => {
    const root = tempDir();
    await writeAligned(join(root, 'x.png'), 16, 1);
    await writeAligned(join(root, 'y.png'), 16, 2);
    expect((await scanDataset(root, { cropSize: 16 })).mode).toBe('single');
    const aligned = await scanDataset(root, { cropSize: 16, mode: 'aligned' });
    expect(aligned.mode).toBe('aligned');
    expect(aligned.splits.train[0]!.aligned).toBe(true);
  });
});

describe('scanDataset: problems with files', () => {
  it('reports each bad file with a clear kind and message, and keeps the good ones', async () => {
    const root = tempDir();
    const train = join(root, 'train');
    for (let i = 0; i < 3; i += 1) await writeAligned(join(train, `good${i}.png`), 16, i);
    await writeAligned(join(train, 'small.png'), 8, 10);
    mkdirSync(join(root, 'test'));
    await sharp({ create: { width: 33, height: 16, channels: 3, background: 'red' } })
      .png()
      .toFile(join(train, 'odd.png'));
    writeFileSync(join(train, 'text.png'), 'this is not a picture');
    const whole = readFileSync(join(train, 'good0.png'));
    const noise = new Uint8Array(32 * 16 * 3).map((_, i) => (i * 7919) % 251);
    await sharp(noise, { raw: { width: 32, height: 16, channels: 3 } })
      .png()
      .toFile(join(train, 'cut.png'));
    const cut = readFileSync(join(train, 'cut.png'));
    writeFileSync(join(train, 'cut.png'), cut.subarray(0, cut.length - 40));
    writeFileSync(join(root, 'test', 'same.png'), whole);

    const report = await scanDataset(root, { cropSize: 16, valFraction: 0 });
    expect(names(report, 'train')).toEqual([join('train', 'good1.png'), join('train', 'good2.png')]);
    expect(names(report, 'test')).toEqual([join('test', 'same.png')]);
    expect(problemsOf(report).sort()).toEqual(
      [
        [join('train', 'cut.png'), 'corrupt'],
        [join('train', 'good0.png'), 'duplicate'],
        [join('train', 'odd.png'), 'odd-width'],
        [join('train', 'small.png'), 'too-small'],
        [join('train', 'text.png'), 'not-an-image'],
      ].sort(),
    );
    const message = (kind: ProblemKind): string => report.problems.find((p) => p.kind === kind)!.message;
    expect(message('too-small')).toBe(
      `${join('train', 'small.png')} is 16×8: each half (8×8) is smaller than the 16×16 crop.`,
    );
    expect(message('odd-width')).toMatch(/odd\.png is 33 px wide.*width must be even/);
    expect(message('not-an-image')).toMatch(/text\.png: it is not an image GAN Studio can read/);
    expect(message('corrupt')).toMatch(/cut\.png: the PNG is truncated/);
    expect(message('duplicate')).toBe(
      `${join('train', 'good0.png')} is identical to ${join('test', 'same.png')}, so it was left out.`,
    );
    expect(report.counts).toMatchObject({ imageFiles: 8, problems: 5, pairs: 3 });
  });

  it('reports a paired file too small for the crop and an ambiguous name', async () => {
    const root = tempDir();
    await writeSolid(join(root, 'A', '1.png'), 16, 16, 1);
    await writeSolid(join(root, 'B', '1.png'), 16, 12, 2);
    await writeSolid(join(root, 'A', '2.png'), 16, 16, 3);
    await writeSolid(join(root, 'A', '2.jpg'), 16, 16, 4);
    await writeSolid(join(root, 'B', '2.png'), 16, 16, 5);
    const report = await scanDataset(root, { cropSize: 16 });
    expect(report.splits.train.map((pair) => pair.a)).toEqual([join(root, 'A', '2.jpg')]);
    expect(problemsOf(report)).toEqual([
      [join('A', '2.png'), 'duplicate'],
      [join('B', '1.png'), 'too-small'],
    ]);
    expect(report.problems[1]!.message).toBe(`${join('B', '1.png')} is 16×12, smaller than the 16×16 crop.`);
  });
});

describe('scanDataset: unusable folders', () => {
  it('names a missing folder', async () => {
    const root = join(tempDir(), 'nowhere');
    const error = await rejection(scanDataset(root, { cropSize: 16 }));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(`Dataset folder not found: ${root}`);
  });

  it('says when a folder is empty or holds no images', async () => {
    const root = tempDir();
    expect((await rejection(scanDataset(root, { cropSize: 16 }))).message).toBe(
      `${root} has no images. It is empty.`,
    );
    writeFileSync(join(root, 'notes.txt'), 'x');
    expect((await rejection(scanDataset(root, { cropSize: 16 }))).message).toMatch(
      /has no images\. It has 1 other file, but none named \*\.png/,
    );
  });

  it('says when a paired dataset has only one side', async () => {
    const root = tempDir();
    for (let i = 0; i < 12; i += 1) await writeSolid(join(root, 'A', `${i}.png`), 8, 8, i);
    expect((await rejection(scanDataset(root, { cropSize: 8 }))).message).toBe(
      'Found 12 images in A/ but no B/ folder. A paired dataset needs, for each image in A/, one with the same file name in B/.',
    );
    mkdirSync(join(root, 'B'));
    expect((await rejection(scanDataset(root, { cropSize: 8 }))).message).toMatch(
      /^Found 12 images in A\/ but none in B\/\./,
    );
  });

  it('says when no pair is usable, with a summary of the problems', async () => {
    const root = tempDir();
    await writeAligned(join(root, 'train', '1.png'), 8, 1);
    writeFileSync(join(root, 'train', '2.png'), 'text');
    const error = await rejection(scanDataset(root, { cropSize: 16 }));
    expect(error.message).toMatch(
      /^No usable pair in .*: all 2 images had problems \(1 too-small, 1 not-an-image\)\./,
    );
    expect(error.message).toContain('1.png is 16×8');
  });

  it('reads trainA/ and trainB/ as an unaligned dataset rather than refusing it', async () => {
    const root = tempDir();
    await writeSolid(join(root, 'trainA', '1.png'), 8, 8, 1);
    await writeSolid(join(root, 'trainB', '1.png'), 8, 8, 2);
    const report = await scanDataset(root, { cropSize: 8 });
    expect(report.mode).toBe('unaligned');
    expect(report.unaligned?.counts).toMatchObject({ trainA: 1, trainB: 1 });
  });

  it('refuses a bad crop size and a second folder for another layout', async () => {
    const root = tempDir();
    await writeSolid(join(root, '1.png'), 8, 8, 1);
    await expect(scanDataset(root, { cropSize: 0 })).rejects.toThrow(/crop size must be a positive/);
    await expect(scanDataset(root, { cropSize: 8, mode: 'single', secondRoot: root })).rejects.toThrow(
      /only makes sense for a paired dataset/,
    );
    await expect(scanDataset(root, { cropSize: 8, mode: 'paired' })).rejects.toThrow(
      /has no A\/ and B\/ folders/,
    );
  });
});
