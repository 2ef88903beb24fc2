/** How the images of a dataset make pairs. */
export type DatasetMode = 'aligned' | 'paired' | 'single';

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
  | 'odd-width';

/** A file left out of the dataset, with a message written for the person importing it. */
export interface Problem {
  file: string;
  kind: ProblemKind;
  message: string;
}

/** Totals shown next to a dataset. */
export interface DatasetCounts {
  train: number;
  val: number;
  test: number;
  /** Usable pairs over all splits. */
  pairs: number;
  /** Files with an image extension that were examined. */
  imageFiles: number;
  /** Files left out, one per problem. */
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
}
