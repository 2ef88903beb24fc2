import { parse, resolve } from 'node:path';
import { StudioError } from '../errors';
import {
  SPLIT_NAMES,
  type DatasetMode,
  type DatasetReport,
  type FileFacts,
  type Pair,
  type Problem,
  type SplitName,
} from './dataset-report';
import { inspectImageFiles, labelOf, type Inspection } from './inspect-file';
import { commonFolder, folderLabel, type Listing } from './list-folder';
import { resolveLayout, type FolderSplit, type PairedSplit } from './scan-layout';
import { scanUnaligned } from './scan-unaligned';
import { SeededRandom } from './seeded-random';

/** Options for `scanDataset`. */
export interface ScanOptions {
  /** The layout; detected from the folders when left out. */
  mode?: DatasetMode;
  /** The training crop; images smaller than it are left out. */
  cropSize: number;
  /**
   * A second folder holding the B images: paired by file name with the images in `root`, or, with
   * `mode: 'unaligned'`, not paired at all.
   */
  secondRoot?: string;
  /** Seed for splitting val off train when there is no val split. */
  seed?: number;
  /** Share of train split off as val when there is no val split; 0.1 unless told. */
  valFraction?: number;
  /** Unaligned datasets from two folders: images per side held out as test; min(5, 10%) unless told. */
  testPerSide?: number;
}

/** Paths matched by name: `a[i]` pairs with `b[i]`. */
interface MatchedSplit {
  split: SplitName;
  a: string[];
  b: string[];
}

interface Candidate {
  split: SplitName;
  pair: Pair;
  /** Identical content means an identical pair. */
  key: string;
}

/**
 * Finds the pairs of a dataset folder and everything wrong with its files, reading only image
 * headers and a streamed hash of each file. Layouts: `aligned` (A|B images in train/, val/, test/),
 * `paired` (A/ and B/ inside `root`, or `root` and `secondRoot`, matched by file name, optionally
 * with train/ val/ test/ inside each), `single` (one folder of photos), `unaligned` (trainA/ and
 * trainB/, optionally valA/ valB/ testA/ testB/, or `root` and `secondRoot`: images that are not
 * pairs, see `scanUnaligned`). Without a val split, a seeded share of train becomes val (paired
 * layouts only).
 */
export async function scanDataset(root: string, options: ScanOptions): Promise<DatasetReport> {
  const { cropSize, seed = 0, valFraction = 0.1 } = options;
  if (!Number.isInteger(cropSize) || cropSize < 1) {
    throw new StudioError(
      'invalid-payload',
      `The crop size must be a positive whole number, got ${cropSize}.`,
    );
  }
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new StudioError('invalid-payload', `The val share must be in [0, 1), got ${valFraction}.`);
  }
  const { testPerSide } = options;
  if (testPerSide !== undefined && !(Number.isInteger(testPerSide) && testPerSide >= 0)) {
    throw new StudioError(
      'invalid-payload',
      `The test images per side must be a whole number from 0, got ${testPerSide}.`,
    );
  }
  const rootPath = resolve(root);
  const secondRoot = options.secondRoot === undefined ? undefined : resolve(options.secondRoot);
  const labelRoot =
    options.mode === 'unaligned' && secondRoot !== undefined ? commonFolder(rootPath, secondRoot) : rootPath;
  const label = (path: string): string => labelOf(labelRoot, path);
  const layout = await resolveLayout(rootPath, options.mode, secondRoot, label);
  if (layout.mode === 'unaligned') {
    return scanUnaligned(rootPath, layout, { cropSize, seed, testPerSide }, label);
  }
  const problems: Problem[] = [];
  const listings = layout.splits.flatMap((s) => ('folder' in s ? [s.folder] : [s.a, s.b]));
  const imageFiles = listings.reduce((n, l) => n + l.images.length, 0);
  const ignoredFiles = listings.reduce((n, l) => n + l.ignored, 0);

  const matched = layout.mode === 'paired' ? layout.splits.map((s) => matchByName(s, label, problems)) : [];
  const toInspect =
    layout.mode === 'paired' ? matched.flatMap((m) => [...m.a, ...m.b]) : listings.flatMap((l) => l.images);
  const inspections = await inspectImageFiles(toInspect, label);
  const candidates =
    layout.mode === 'paired'
      ? pairedCandidates(matched, inspections, cropSize, label, problems)
      : folderCandidates(layout.mode, layout.splits, inspections, cropSize, label, problems);

  const splits = dropDuplicates(candidates, label, problems);
  if (SPLIT_NAMES.every((split) => splits[split].length === 0)) {
    throw noUsablePair(rootPath, imageFiles, problems);
  }
  const valFromTrain = splits.val.length === 0 && splits.train.length >= 2 && valFraction > 0;
  if (valFromTrain) Object.assign(splits, carveVal(splits.train, valFraction, seed));
  if (splits.train.length === 0) {
    throw new StudioError(
      'invalid-payload',
      `${rootPath} has no usable training pair: every usable pair is in val/ or test/. ` +
        `Put training images in train/.`,
    );
  }
  const pairs = splits.train.length + splits.val.length + splits.test.length;
  return {
    mode: layout.mode,
    root: rootPath,
    secondRoot: layout.mode === 'paired' ? layout.secondRoot : null,
    cropSize,
    splits,
    valFromTrain,
    problems,
    counts: {
      train: splits.train.length,
      val: splits.val.length,
      test: splits.test.length,
      pairs,
      imageFiles,
      problems: problems.length,
      ignoredFiles,
    },
  };
}

function matchByName(split: PairedSplit, label: (path: string) => string, problems: Problem[]): MatchedSplit {
  const a = uniqueStems(split.a, label, problems);
  const b = uniqueStems(split.b, label, problems);
  for (const [from, to, toListing] of [
    [a, b, split.b],
    [b, a, split.a],
  ] as const) {
    for (const [stem, path] of from) {
      if (to.has(stem)) continue;
      problems.push({
        file: path,
        kind: 'unmatched',
        message: `${label(path)} has no partner: there is no file named ${stem}.* in ${folderLabel(toListing, label)}.`,
      });
    }
  }
  const stems = [...a.keys()].filter((stem) => b.has(stem));
  return { split: split.split, a: stems.map((stem) => a.get(stem)!), b: stems.map((stem) => b.get(stem)!) };
}

function uniqueStems(
  listing: Listing,
  label: (path: string) => string,
  problems: Problem[],
): Map<string, string> {
  const stems = new Map<string, string>();
  for (const path of listing.images) {
    const stem = parse(path).name;
    const first = stems.get(stem);
    if (first === undefined) {
      stems.set(stem, path);
      continue;
    }
    problems.push({
      file: path,
      kind: 'duplicate',
      message: `${label(path)} has the same name as ${label(first)} apart from the extension, so it cannot be paired; only ${label(first)} is used.`,
    });
  }
  return stems;
}

function folderCandidates(
  mode: 'aligned' | 'single',
  splits: FolderSplit[],
  inspections: Map<string, Inspection>,
  cropSize: number,
  label: (path: string) => string,
  problems: Problem[],
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const { split, folder } of splits) {
    for (const path of folder.images) {
      const inspection = inspections.get(path)!;
      if (!inspection.ok) {
        problems.push(inspection.problem);
        continue;
      }
      const { width, height } = inspection.facts;
      if (mode === 'aligned' && width % 2 !== 0) {
        problems.push({
          file: path,
          kind: 'odd-width',
          message: `${label(path)} is ${width} px wide. An aligned image holds A and B side by side, so its width must be even.`,
        });
        continue;
      }
      const sideWidth = mode === 'aligned' ? width / 2 : width;
      if (sideWidth < cropSize || height < cropSize) {
        problems.push({
          file: path,
          kind: 'too-small',
          message:
            mode === 'aligned'
              ? `${label(path)} is ${width}×${height}: each half (${sideWidth}×${height}) is smaller than the ${cropSize}×${cropSize} crop.`
              : tooSmallMessage(label(path), inspection.facts, cropSize),
        });
        continue;
      }
      candidates.push({
        split,
        pair: toPair(path, null, mode === 'aligned', inspection.facts, null),
        key: inspection.facts.hash,
      });
    }
  }
  return candidates;
}

function pairedCandidates(
  splits: MatchedSplit[],
  inspections: Map<string, Inspection>,
  cropSize: number,
  label: (path: string) => string,
  problems: Problem[],
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const { split, a, b } of splits) {
    a.forEach((aPath, i) => {
      const bPath = b[i]!;
      const sides = [aPath, bPath].map((path) => ({ path, inspection: inspections.get(path)! }));
      let usable = true;
      for (const { path, inspection } of sides) {
        if (!inspection.ok) {
          problems.push(inspection.problem);
          usable = false;
        } else if (inspection.facts.width < cropSize || inspection.facts.height < cropSize) {
          problems.push({
            file: path,
            kind: 'too-small',
            message: tooSmallMessage(label(path), inspection.facts, cropSize),
          });
          usable = false;
        }
      }
      const [aSide, bSide] = sides.map((s) => s.inspection);
      if (!usable || !aSide?.ok || !bSide?.ok) return;
      candidates.push({
        split,
        pair: toPair(aPath, bPath, false, aSide.facts, bSide.facts),
        key: `${aSide.facts.hash}:${bSide.facts.hash}`,
      });
    });
  }
  return candidates;
}

function tooSmallMessage(name: string, facts: FileFacts, cropSize: number): string {
  return `${name} is ${facts.width}×${facts.height}, smaller than the ${cropSize}×${cropSize} crop.`;
}

function toPair(
  a: string,
  b: string | null,
  aligned: boolean,
  facts: FileFacts,
  bFile: FileFacts | null,
): Pair {
  return {
    a,
    b,
    aligned,
    width: facts.width,
    height: facts.height,
    hash: facts.hash,
    bytes: facts.bytes,
    bFile,
  };
}

/** Keeps the first of identical pairs, looking at test, then val, then train, so held-out splits stay intact. */
function dropDuplicates(
  candidates: Candidate[],
  label: (path: string) => string,
  problems: Problem[],
): Record<SplitName, Pair[]> {
  const splits: Record<SplitName, Pair[]> = { train: [], val: [], test: [] };
  const seen = new Map<string, Pair>();
  for (const split of ['test', 'val', 'train'] as const) {
    for (const candidate of candidates) {
      if (candidate.split !== split) continue;
      const first = seen.get(candidate.key);
      if (first === undefined) {
        seen.set(candidate.key, candidate.pair);
        splits[split].push(candidate.pair);
        continue;
      }
      const { pair } = candidate;
      problems.push({
        file: pair.a,
        kind: 'duplicate',
        message:
          pair.b === null
            ? `${label(pair.a)} is identical to ${label(first.a)}, so it was left out.`
            : `${label(pair.a)} and ${label(pair.b)} are identical to ${label(first.a)} and ${label(first.b!)}, so they were left out.`,
      });
    }
  }
  return splits;
}

function carveVal(train: Pair[], fraction: number, seed: number): { train: Pair[]; val: Pair[] } {
  const count = Math.min(train.length - 1, Math.max(1, Math.round(train.length * fraction)));
  const order = SeededRandom.fromSeed(seed).shuffle(train.map((_, i) => i));
  const picked = new Set(order.slice(0, count));
  return { train: train.filter((_, i) => !picked.has(i)), val: train.filter((_, i) => picked.has(i)) };
}

function noUsablePair(root: string, imageFiles: number, problems: Problem[]): StudioError {
  const byKind = new Map<string, number>();
  for (const problem of problems) byKind.set(problem.kind, (byKind.get(problem.kind) ?? 0) + 1);
  const summary = [...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const first = problems[0] ? ` For example: ${problems[0].message}` : '';
  return new StudioError(
    'invalid-payload',
    `No usable pair in ${root}: all ${imageFiles} image${imageFiles === 1 ? '' : 's'} had problems (${summary}).${first}`,
  );
}
