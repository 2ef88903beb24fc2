import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/temp-dir';
import { StudioError } from '../errors';
import type { DatasetReport, SideImage } from './dataset-report';
import { scanDataset } from './scan-dataset';
import { writeGray, writeSolid } from './test-images';

const tempDir = useTempDir();

async function writeMany(folder: string, count: number, firstId: number, size = 8): Promise<void> {
  for (let i = 0; i < count; i += 1) await writeSolid(join(folder, `${i}.png`), size, size, firstId + i);
}

const files = (images: SideImage[], root: string): string[] =>
  images.map((image) => image.path.slice(root.length + 1));

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

function sides(report: DatasetReport) {
  expect(report.unaligned).toBeDefined();
  return report.unaligned!;
}

describe('scanDataset: unaligned layouts', () => {
  it('detects trainA/ trainB/ testA/ testB/ and lists the A and B files of each split apart', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 3, 0);
    await writeMany(join(root, 'trainB'), 4, 10);
    await writeMany(join(root, 'testA'), 1, 20);
    await writeMany(join(root, 'testB'), 2, 30);
    const report = await scanDataset(root, { cropSize: 8 });
    expect(report.mode).toBe('unaligned');
    expect(report.secondRoot).toBeNull();
    expect(report.splits).toEqual({ train: [], val: [], test: [] });
    const { splits, counts, names, testFromTrain } = sides(report);
    expect(files(splits.train.a, root)).toEqual(['0.png', '1.png', '2.png'].map((f) => join('trainA', f)));
    expect(files(splits.train.b, root)).toEqual(
      ['0.png', '1.png', '2.png', '3.png'].map((f) => join('trainB', f)),
    );
    expect(files(splits.test.a, root)).toEqual([join('testA', '0.png')]);
    expect(files(splits.test.b, root)).toEqual([join('testB', '0.png'), join('testB', '1.png')]);
    expect(splits.train.a[0]).toMatchObject({ width: 8, height: 8, grayscale: false });
    expect(counts).toEqual({ trainA: 3, trainB: 4, valA: 0, valB: 0, testA: 1, testB: 2 });
    expect(names).toEqual({ a: `trainA${sep}`, b: `trainB${sep}` });
    expect(testFromTrain).toBe(false);
    expect(report.counts).toEqual({
      train: 7,
      val: 0,
      test: 3,
      pairs: 0,
      imageFiles: 10,
      problems: 0,
      ignoredFiles: 0,
    });
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  it('reads two folders with different counts and holds out a few seeded test images per side', async () => {
    const parent = tempDir();
    const [horses, zebras] = [join(parent, 'horses'), join(parent, 'zebras')];
    await writeMany(horses, 30, 0);
    await writeMany(zebras, 12, 100);
    const options = { mode: 'unaligned', secondRoot: zebras, cropSize: 8, seed: 3 } as const;
    const report = await scanDataset(horses, options);
    expect(report.mode).toBe('unaligned');
    expect(report.root).toBe(horses);
    expect(report.secondRoot).toBe(zebras);
    const { splits, counts, names, testFromTrain } = sides(report);
    expect(counts).toEqual({ trainA: 27, trainB: 11, valA: 0, valB: 0, testA: 3, testB: 1 });
    expect(testFromTrain).toBe(true);
    expect(names).toEqual({ a: `horses${sep}`, b: `zebras${sep}` });
    expect(splits.train.a.every((image) => image.path.startsWith(horses + sep))).toBe(true);
    expect(splits.test.b.every((image) => image.path.startsWith(zebras + sep))).toBe(true);
    const trainAndTest = [...splits.train.a, ...splits.test.a].map((image) => image.path);
    expect(new Set(trainAndTest).size).toBe(30);
    expect(await scanDataset(horses, options)).toEqual(report);
    const others = await Promise.all([4, 5, 6].map((seed) => scanDataset(horses, { ...options, seed })));
    const heldOut = (r: DatasetReport): string => r.unaligned!.splits.test.a.map((i) => i.path).join();
    expect(others.some((other) => heldOut(other) !== heldOut(report))).toBe(true);
    expect(report.notes).toContain(
      `Neither folder has a test split, so 3 A and 1 B images were held out as test (the same ones for the same seed); the rest train.`,
    );
    const few = await scanDataset(horses, { ...options, testPerSide: 1 });
    expect(sides(few).counts).toMatchObject({ trainA: 29, testA: 1, trainB: 11, testB: 1 });
    const none = await scanDataset(horses, { ...options, testPerSide: 0 });
    expect(sides(none).counts).toMatchObject({ trainA: 30, testA: 0, trainB: 12, testB: 0 });
    expect(sides(none).testFromTrain).toBe(false);
    await expect(scanDataset(horses, { ...options, testPerSide: -1 })).rejects.toThrow(
      'The test images per side must be a whole number from 0, got -1.',
    );
  });

  it('keeps pairing for two folders unless told they are unaligned', async () => {
    const [a, b] = [tempDir(), tempDir()];
    await writeMany(a, 2, 0);
    await writeMany(b, 2, 10);
    expect((await scanDataset(a, { cropSize: 8, secondRoot: b })).mode).toBe('paired');
  });
});

describe('scanDataset: unaligned sides that cannot train', () => {
  it('names the missing side folder', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 3, 0);
    const error = await rejection(scanDataset(root, { cropSize: 8 }));
    expect(error.code).toBe('invalid-payload');
    expect(error.message).toBe(
      `Found 3 images in trainA${sep} but no trainB${sep} folder in ${root}. An unaligned dataset needs images on both sides, so training cannot start.`,
    );
  });

  it('names an empty side folder', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 3, 0);
    mkdirSync(join(root, 'trainB'));
    writeFileSync(join(root, 'trainB', 'notes.txt'), 'x');
    expect((await rejection(scanDataset(root, { cropSize: 8 }))).message).toBe(
      `${join(root, 'trainB')}${sep} has no images (it has 1 other file, but none is an image). ` +
        `An unaligned dataset needs images in both trainA/ and trainB/, so training cannot start.`,
    );
  });

  it('names an empty dropped folder, and refuses the same folder twice', async () => {
    const [a, b] = [tempDir(), tempDir()];
    await writeMany(a, 3, 0);
    const options = { mode: 'unaligned', cropSize: 8 } as const;
    expect((await rejection(scanDataset(a, { ...options, secondRoot: b }))).message).toBe(
      `${b}${sep} has no images. An unaligned dataset needs images in both folders, so training cannot start.`,
    );
    expect((await rejection(scanDataset(a, { ...options, secondRoot: a }))).message).toBe(
      `The A and B folders are the same (${a}). An unaligned dataset needs its A images and its B images in two different folders.`,
    );
  });

  it('says when every image of a side has problems', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 2, 0);
    await writeSolid(join(root, 'trainB', 'small.png'), 4, 4, 1);
    writeFileSync(join(root, 'trainB', 'text.png'), 'not a picture');
    const error = await rejection(scanDataset(root, { cropSize: 8 }));
    expect(error.message).toMatch(
      new RegExp(
        `^No usable image in ${escape(join(root, 'trainB'))}.: all 2 images had problems \\(1 too-small, 1 not-an-image\\)\\. ` +
          `For example: .*small\\.png is 4×4, smaller than the 8×8 crop\\. .*so training cannot start\\.$`,
      ),
    );
  });

  it('says what an unaligned dataset looks like when asked for one without its folders', async () => {
    const root = tempDir();
    await writeMany(root, 2, 0);
    expect((await rejection(scanDataset(root, { cropSize: 8, mode: 'unaligned' }))).message).toBe(
      `${root} has no trainA/ and trainB/ folders. An unaligned dataset keeps its A images in trainA/ and its B images in trainB/ (optionally testA/ and testB/), or in two folders you choose.`,
    );
  });
});

describe('scanDataset: unaligned bad input', () => {
  it('notes grayscale on one side and colour on the other, with counts per side', async () => {
    const root = tempDir();
    for (let i = 0; i < 3; i += 1) await writeGray(join(root, 'trainA', `${i}.png`), 8, 8, 40 * i);
    await writeMany(join(root, 'trainB'), 4, 10);
    await writeGray(join(root, 'testB', 'g.png'), 8, 8, 9);
    const report = await scanDataset(root, { cropSize: 8 });
    const { splits } = sides(report);
    expect(splits.train.a.every((image) => image.grayscale)).toBe(true);
    expect(splits.train.b.some((image) => image.grayscale)).toBe(false);
    expect(report.notes).toContain(
      `Grayscale and colour images are mixed: 3 of 3 A images (trainA${sep}) and 1 of 5 B images ` +
        `(trainB${sep}, testB${sep}) are grayscale. Grayscale images are converted to 3 channels ` +
        `(the gray value in R, G and B) as they load, so both sides train as colour images.`,
    );
    expect(report.problems).toEqual([]);
  });

  it('says nothing about grayscale when both sides are all grayscale', async () => {
    const root = tempDir();
    await writeGray(join(root, 'trainA', '1.png'), 8, 8, 10);
    await writeGray(join(root, 'trainB', '1.png'), 8, 8, 200);
    expect((await scanDataset(root, { cropSize: 8 })).notes).toEqual([]);
  });

  it('notes very unequal sides and how B is sampled', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 12, 0);
    await writeMany(join(root, 'trainB'), 3, 100);
    expect((await scanDataset(root, { cropSize: 8 })).notes).toEqual([
      `trainA${sep} has 12 images, trainB${sep} 3: each epoch sees every A image once and B images drawn at ` +
        `random (with replacement, as the CycleGAN reference does), each B image about 4 times.`,
    ]);
    await writeMany(join(root, 'trainB'), 30, 100);
    expect((await scanDataset(root, { cropSize: 8 })).notes).toEqual([
      `trainA${sep} has 12 images, trainB${sep} 30: an epoch is 30 steps, so it goes through the A images ` +
        `about 3 times and draws B images at random (with replacement, as the CycleGAN reference does); ` +
        `some B images are not seen in a given epoch.`,
    ]);
    await writeMany(join(root, 'trainA'), 16, 0);
    expect((await scanDataset(root, { cropSize: 8 })).notes).toEqual([]);
  });

  it('keeps an image found in both sides and warns, naming both files', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 3, 0);
    await writeMany(join(root, 'trainB'), 3, 100);
    writeFileSync(join(root, 'trainB', 'copy.png'), readFileSync(join(root, 'trainA', '1.png')));
    const report = await scanDataset(root, { cropSize: 8 });
    expect(sides(report).counts).toMatchObject({ trainA: 3, trainB: 4 });
    expect(report.problems).toEqual([
      {
        file: join(root, 'trainB', 'copy.png'),
        kind: 'in-both-sides',
        message:
          `${join('trainA', '1.png')} and ${join('trainB', 'copy.png')} are the same image, one in A and one in B. ` +
          `Both are kept, but a CycleGAN learns nothing from an image that is on both sides: remove one unless you meant it.`,
      },
    ]);
    expect(report.counts.problems).toBe(1);
  });

  it('leaves out corrupt files, non-images, too-small images and copies within a side', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 3, 0);
    await writeMany(join(root, 'trainB'), 3, 100);
    await writeSolid(join(root, 'trainA', 'small.png'), 8, 6, 50);
    writeFileSync(join(root, 'trainB', 'text.png'), 'this is not a picture');
    const whole = readFileSync(join(root, 'trainB', '0.png'));
    writeFileSync(join(root, 'trainB', 'cut.png'), whole.subarray(0, whole.length - 20));
    await writeMany(join(root, 'testA'), 1, 0);
    const report = await scanDataset(root, { cropSize: 8 });
    const { splits } = sides(report);
    expect(files(splits.train.a, root)).toEqual([join('trainA', '1.png'), join('trainA', '2.png')]);
    expect(files(splits.test.a, root)).toEqual([join('testA', '0.png')]);
    expect(files(splits.train.b, root)).toEqual(['0.png', '1.png', '2.png'].map((f) => join('trainB', f)));
    const kinds = report.problems.map((p) => [p.file.slice(root.length + 1), p.kind]);
    expect(kinds.sort()).toEqual(
      [
        [join('trainA', '0.png'), 'duplicate'],
        [join('trainA', 'small.png'), 'too-small'],
        [join('trainB', 'cut.png'), 'corrupt'],
        [join('trainB', 'text.png'), 'not-an-image'],
      ].sort(),
    );
    const message = (kind: string): string => report.problems.find((p) => p.kind === kind)!.message;
    expect(message('duplicate')).toBe(
      `${join('trainA', '0.png')} is identical to ${join('testA', '0.png')}, so it was left out.`,
    );
    expect(message('too-small')).toBe(`${join('trainA', 'small.png')} is 8×6, smaller than the 8×8 crop.`);
    expect(message('corrupt')).toMatch(/cut\.png: the PNG is truncated/);
    expect(message('not-an-image')).toMatch(/text\.png: it is not an image GAN Studio can read/);
    expect(report.counts).toMatchObject({ imageFiles: 10, problems: 4, train: 5, test: 1 });
  });

  it('notes a held-out split with images on one side only', async () => {
    const root = tempDir();
    await writeMany(join(root, 'trainA'), 2, 0);
    await writeMany(join(root, 'trainB'), 2, 10);
    await writeMany(join(root, 'testA'), 2, 20);
    const report = await scanDataset(root, { cropSize: 8 });
    expect(sides(report).counts).toMatchObject({ testA: 2, testB: 0 });
    expect(report.notes).toEqual([
      `testA${sep} has 2 usable images but testB${sep} has none, so held-out B images (for the validation strip) come from another split.`,
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
