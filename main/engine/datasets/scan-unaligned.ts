import { sep } from 'node:path';
import { StudioError } from '../errors';
import {
  SPLIT_NAMES,
  type Problem,
  type SideCounts,
  type SideImage,
  type SideSplit,
  type SplitName,
  type UnalignedReport,
} from './dataset-report';
import { inspectImageFiles, type Inspection } from './inspect-file';
import { folderLabel, type Listing } from './list-folder';
import { SeededRandom } from './seeded-random';
import type { UnalignedLayout } from './unaligned-layout';
import { unalignedNotes, type NoteFacts } from './unaligned-notes';

/** Options for `scanUnaligned`. */
export interface UnalignedScanOptions {
  cropSize: number;
  /** Seed for holding out test images of two folders. */
  seed: number;
  /** Images per side held out as test when two folders have no test split; min(5, 10%) unless told. */
  testPerSide?: number;
}

type Side = 'a' | 'b';

const SIDES: readonly Side[] = ['a', 'b'];
const MAX_TEST_PER_SIDE = 5;

/**
 * Reads the A and B images of an unaligned dataset apart: per-file problems (corrupt, not an image,
 * too small, the same file twice on a side), images found on both sides (kept, with a warning), and
 * notes on grayscale, unequal sides and held-out splits. Two folders without a test split get a few
 * seeded test images per side. Throws, naming the folder, when a side has no usable training image.
 */
export async function scanUnaligned(
  root: string,
  layout: UnalignedLayout,
  options: UnalignedScanOptions,
  label: (path: string) => string,
): Promise<UnalignedReport> {
  const problems: Problem[] = [];
  const listings = layout.splits.flatMap((s) => [s.a, s.b]);
  const inspections = await inspectImageFiles(
    listings.flatMap((l) => l.images),
    label,
  );
  const splits: Record<SplitName, SideSplit> = { train: empty(), val: empty(), test: empty() };
  for (const side of SIDES) {
    const seen = new Map<string, SideImage>();
    for (const split of ['test', 'val', 'train'] as const) {
      for (const path of layout.splits.find((s) => s.split === split)?.[side].images ?? []) {
        const image = usableImage(path, inspections.get(path)!, options.cropSize, label, problems);
        if (image === null) continue;
        const first = seen.get(image.hash);
        if (first !== undefined) {
          problems.push({
            file: path,
            kind: 'duplicate',
            message: `${label(path)} is identical to ${label(first.path)}, so it was left out.`,
          });
          continue;
        }
        seen.set(image.hash, image);
        splits[split][side].push(image);
      }
    }
  }
  const train = layout.splits.find((s) => s.split === 'train')!;
  for (const side of SIDES) {
    if (splits.train[side].length === 0) throw noUsableImage(train[side], problems);
  }
  const carved = layout.secondRoot !== null ? holdOutTest(splits, options) : null;
  problems.push(...inBothSides(splits, label));

  const counts = sideCounts(splits);
  const sideLabels = (side: Side): string =>
    layout.splits
      .filter((s) => s[side].images.length > 0)
      .map((s) => folderLabel(s[side], label))
      .join(', ');
  const facts: NoteFacts = {
    splits,
    names: layout.names,
    folders: { a: sideLabels('a'), b: sideLabels('b') },
    heldOut: Object.fromEntries(
      layout.splits
        .filter((s) => s.split !== 'train')
        .map((s) => [s.split, { a: folderLabel(s.a, label), b: folderLabel(s.b, label) }]),
    ),
    carved,
  };
  const total = (split: SplitName): number => splits[split].a.length + splits[split].b.length;
  return {
    mode: 'unaligned',
    root,
    secondRoot: layout.secondRoot,
    cropSize: options.cropSize,
    splits: { train: [], val: [], test: [] },
    valFromTrain: false,
    problems,
    counts: {
      train: total('train'),
      val: total('val'),
      test: total('test'),
      pairs: 0,
      imageFiles: listings.reduce((n, l) => n + l.images.length, 0),
      problems: problems.length,
      ignoredFiles: listings.reduce((n, l) => n + l.ignored, 0),
    },
    notes: unalignedNotes(facts),
    unaligned: { splits, counts, names: layout.names, testFromTrain: carved !== null },
  };
}

function empty(): SideSplit {
  return { a: [], b: [] };
}

function usableImage(
  path: string,
  inspection: Inspection,
  cropSize: number,
  label: (path: string) => string,
  problems: Problem[],
): SideImage | null {
  if (!inspection.ok) {
    problems.push(inspection.problem);
    return null;
  }
  const { facts, grayscale } = inspection;
  if (facts.width < cropSize || facts.height < cropSize) {
    problems.push({
      file: path,
      kind: 'too-small',
      message: `${label(path)} is ${facts.width}×${facts.height}, smaller than the ${cropSize}×${cropSize} crop.`,
    });
    return null;
  }
  return { path, ...facts, grayscale };
}

/** Moves a seeded few images per side from train to test when no split is held out; the counts moved. */
function holdOutTest(
  splits: Record<SplitName, SideSplit>,
  options: UnalignedScanOptions,
): { a: number; b: number } | null {
  const heldOut = SIDES.some((side) => splits.val[side].length + splits.test[side].length > 0);
  if (heldOut) return null;
  const moved = { a: 0, b: 0 };
  SIDES.forEach((side, index) => {
    const images = splits.train[side];
    const wanted = options.testPerSide ?? Math.min(MAX_TEST_PER_SIDE, Math.floor(images.length / 10));
    const count = Math.max(0, Math.min(wanted, images.length - 1));
    const order = SeededRandom.fromSeed(options.seed, index + 1).shuffle(images.map((_, i) => i));
    const picked = new Set(order.slice(0, count));
    splits.test[side] = images.filter((_, i) => picked.has(i));
    splits.train[side] = images.filter((_, i) => !picked.has(i));
    moved[side] = count;
  });
  return moved.a + moved.b > 0 ? moved : null;
}

function inBothSides(splits: Record<SplitName, SideSplit>, label: (path: string) => string): Problem[] {
  const aByHash = new Map<string, SideImage>();
  for (const split of SPLIT_NAMES) for (const image of splits[split].a) aByHash.set(image.hash, image);
  const problems: Problem[] = [];
  for (const split of SPLIT_NAMES) {
    for (const b of splits[split].b) {
      const a = aByHash.get(b.hash);
      if (a === undefined) continue;
      problems.push({
        file: b.path,
        kind: 'in-both-sides',
        message:
          `${label(a.path)} and ${label(b.path)} are the same image, one in A and one in B. Both are kept, ` +
          `but a CycleGAN learns nothing from an image that is on both sides: remove one unless you meant it.`,
      });
    }
  }
  return problems;
}

function sideCounts(splits: Record<SplitName, SideSplit>): SideCounts {
  return {
    trainA: splits.train.a.length,
    trainB: splits.train.b.length,
    valA: splits.val.a.length,
    valB: splits.val.b.length,
    testA: splits.test.a.length,
    testB: splits.test.b.length,
  };
}

function noUsableImage(folder: Listing, problems: Problem[]): StudioError {
  const files = new Set(folder.images);
  const own = problems.filter((problem) => files.has(problem.file));
  const byKind = new Map<string, number>();
  for (const problem of own) byKind.set(problem.kind, (byKind.get(problem.kind) ?? 0) + 1);
  const summary = [...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const example = own[0] ? ` For example: ${own[0].message}` : '';
  const n = folder.images.length;
  return new StudioError(
    'invalid-payload',
    `No usable image in ${folder.path}${sep}: all ${n} image${n === 1 ? '' : 's'} had problems (${summary}).${example} ` +
      `An unaligned dataset needs images on both sides, so training cannot start.`,
  );
}
