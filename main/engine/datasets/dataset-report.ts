/** How the images of a dataset make pairs; `unaligned` images are not paired (CycleGAN). */
export type DatasetMode = 'aligned' | 'paired' | 'single' | 'unaligned';

/** The three splits of the reference layout. */
export type SplitName = 'train' | 'val' | 'test';

/** Splits in the order they are listed. */
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

/** What the scan learned about one image file without decoding it. */
export interface FileFacts {
  /** Width after EXIF orientation. */
  width: number;
  /** Height after EXIF orientation. */
  height: number;
  /** sha256 of the file's bytes, hex. */
  hash: string;
  /** File size in bytes. */
  bytes: number;
}

/**
 * One training example. `aligned`: `a` is an A|B image and `b` is null. `paired`: `a` and `b` are
 * two files. `single`: `a` is the photo (it becomes B once A is derived from it) and `b` is null.
 * `width`, `height`, `hash` and `bytes` describe the file `a`; `bFile` describes `b`.
 */
export interface Pair {
  a: string;
  b: string | null;
  aligned: boolean;
  width: number;
  height: number;
  hash: string;
  bytes: number;
  bFile: FileFacts | null;
}

/** Why a file was left out of the dataset. */
export type ProblemKind =
  | 'corrupt'
  | 'unreadable'
  | 'unmatched'
  | 'too-small'
  | 'duplicate'
  | 'not-an-image'
  | 'odd-width'
  | 'in-both-sides';

/**
 * A file left out of the dataset, with a message written for the person importing it. The one
 * exception is `in-both-sides`: an image found in both A and B of an unaligned dataset is kept,
 * and the problem warns about it.
 */
export interface Problem {
  file: string;
  kind: ProblemKind;
  message: string;
}

/** Totals shown next to a dataset. */
export interface DatasetCounts {
  /** Usable pairs in train; for an unaligned dataset, usable A and B images together. */
  train: number;
  val: number;
  test: number;
  /** Usable pairs over all splits; 0 for an unaligned dataset, which has none. */
  pairs: number;
  /** Files with an image extension that were examined. */
  imageFiles: number;
  /** Problems, one per file: files left out, and files kept with a warning (`in-both-sides`). */
  problems: number;
  /** Files without an image extension, not examined. */
  ignoredFiles: number;
}

/** Everything a scan found: the usable pairs per split and every file it had to leave out. */
export interface DatasetReport {
  mode: DatasetMode;
  root: string;
  /** The B folder when pairs come from two separate folders. */
  secondRoot: string | null;
  cropSize: number;
  splits: Record<SplitName, Pair[]>;
  /** Whether `val` was split off `train` (seeded) because the dataset had none. */
  valFromTrain: boolean;
  problems: Problem[];
  counts: DatasetCounts;
  /** Things worth knowing about files that are used, such as grayscale mixed with colour. */
  notes?: string[];
  /** An unaligned dataset's A and B images; its `splits` then hold no pairs. */
  unaligned?: UnalignedSides;
}

/** One usable image of an unaligned dataset. */
export interface SideImage extends FileFacts {
  path: string;
  /** Whether the file has one gray channel (two with alpha); it is loaded as RGB all the same. */
  grayscale: boolean;
}

/** The A images and the B images of one split of an unaligned dataset; they are not paired. */
export interface SideSplit {
  a: SideImage[];
  b: SideImage[];
}

/** Usable images per side and split of an unaligned dataset. */
export interface SideCounts {
  trainA: number;
  trainB: number;
  valA: number;
  valB: number;
  testA: number;
  testB: number;
}

/** What a scan found in an unaligned dataset, side by side. */
export interface UnalignedSides {
  splits: Record<SplitName, SideSplit>;
  counts: SideCounts;
  /** How messages name the training folder of each side (`trainA/`, or a folder you chose). */
  names: { a: string; b: string };
  /** Whether a few test images per side were held out (seeded) because the dataset had none. */
  testFromTrain: boolean;
}

/** A report of an unaligned dataset, with its sides and notes always present. */
export type UnalignedReport = DatasetReport & {
  mode: 'unaligned';
  unaligned: UnalignedSides;
  notes: string[];
};

/** Whether a report is of an unaligned dataset (A and B images that are not pairs). */
export function isUnaligned(report: DatasetReport): report is UnalignedReport {
  return report.mode === 'unaligned' && report.unaligned !== undefined;
}

/** Usable pairs of a split; for an unaligned dataset, the smaller of its A and B image counts. */
export function splitSize(report: DatasetReport, split: SplitName): number {
  if (isUnaligned(report)) {
    const { a, b } = report.unaligned.splits[split];
    return Math.min(a.length, b.length);
  }
  return report.splits[split].length;
}

/** The first split in `order` that has images to use; the last one otherwise. */
export function firstUsableSplit(report: DatasetReport, order: SplitName[]): SplitName {
  return order.find((split) => splitSize(report, split) > 0) ?? order.at(-1) ?? 'train';
}
