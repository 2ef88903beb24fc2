import { StudioError } from '../errors';
import type { DatasetReport, Pair, Problem, SplitName } from './dataset-report';
import type { DerivedKind } from './derive-pairs';
import { EpochLoader, type EpochPlan, type LoadOutcome } from './epoch-loader';
import { DEFAULT_MAX_SIDE } from './image-io';
import { loadPairImages } from './load-pair';
import { positiveInteger, spreadOrder } from './loader-support';
import { mapLimit } from './map-limit';
import {
  defaultLoadSize,
  fixedPreprocess,
  preprocessPair,
  type Direction,
  type PreprocessMode,
  type PreprocessOptions,
  type Sample,
} from './preprocess';
import { SeededRandom } from './seeded-random';

export type { Batch, LoaderState } from './epoch-loader';

/** Options for a `PairLoader`; all have the reference implementation's defaults. */
export interface PairLoaderOptions {
  /** The split to iterate; `train` unless told. */
  split?: SplitName;
  batchSize?: number;
  seed?: number;
  /** How many samples to keep decoded and augmented ahead of `next()`; 8 unless told. */
  prefetch?: number;
  /** Shuffle the order every epoch; true unless told. */
  shuffle?: boolean;
  preprocess?: PreprocessMode;
  /** The sample size; the report's crop size unless told. */
  cropSize?: number;
  /** The size before cropping for `resize_and_crop`; 286 for a 256 crop unless told. */
  loadSize?: number;
  /** Random horizontal flips; true unless told. */
  flip?: boolean;
  direction?: Direction;
  /** How to make A for `single` datasets; required for them. */
  derive?: DerivedKind;
  /** Longest side decoded; by default 4× the load size, or 4096 when `preprocess` is `none`. */
  maxSide?: number;
  /** Told once per file about files that fail to load; they are skipped. */
  onProblem?: (problem: Problem) => void;
}

/** A fixed, non-augmented pair for the validation strip and metrics: HWC in [-1, 1]. */
export interface FixedPair extends Sample {
  /** The pair's `a` file. */
  file: string;
  /** The split it came from (another split stands in when the one asked for is empty). */
  split: SplitName;
}

/**
 * Iterates a split in seeded, shuffled batches while decoding and augmenting up to `prefetch`
 * samples ahead (sharp works in libuv's thread pool, so this overlaps training). Files that fail
 * to load are skipped and reported through `onProblem`; `state()` and `restore()` resume exactly.
 */
export class PairLoader extends EpochLoader {
  readonly cropSize: number;
  private readonly dataset: DatasetReport;
  private readonly pairs: Pair[];
  private readonly maxSide: number;
  private readonly options: PreprocessOptions;

  constructor(report: DatasetReport, options: PairLoaderOptions = {}) {
    const split = options.split ?? 'train';
    if (report.mode === 'unaligned') {
      throw new StudioError(
        'invalid-payload',
        `${report.root} is an unaligned dataset: its A and B images are not pairs, so it trains a CycleGAN (UnpairedLoader), not pix2pix.`,
      );
    }
    const pairs = report.splits[split];
    if (pairs.length === 0) {
      throw new StudioError('invalid-payload', `The ${split} split of ${report.root} has no pairs.`);
    }
    super({
      root: report.root,
      split,
      samplesPerEpoch: pairs.length,
      batchSize: positiveInteger('batch size', options.batchSize ?? 1),
      prefetch: positiveInteger('prefetch', options.prefetch ?? 8),
      seed: options.seed ?? 0,
      shuffle: options.shuffle ?? true,
      onProblem: options.onProblem,
      unit: 'image',
      splitDescription: `the ${split} split of ${pairs.length} pairs`,
    });
    this.dataset = report;
    this.pairs = pairs;
    this.cropSize = positiveInteger('crop size', options.cropSize ?? report.cropSize);
    const preprocess = options.preprocess ?? 'resize_and_crop';
    const loadSize = options.loadSize ?? defaultLoadSize(this.cropSize);
    if (report.mode === 'single' && !options.derive) {
      throw new StudioError(
        'invalid-payload',
        `${report.root} is a single folder of photos: choose how to derive pairs (gray2color or edges2photo).`,
      );
    }
    this.options = {
      preprocess,
      loadSize,
      cropSize: this.cropSize,
      flip: options.flip ?? true,
      direction: options.direction ?? 'AtoB',
      ...(options.derive ? { derive: options.derive } : {}),
    };
    this.maxSide = positiveInteger(
      'maxSide',
      options.maxSide ?? (preprocess === 'none' ? DEFAULT_MAX_SIDE : 4 * Math.max(loadSize, this.cropSize)),
    );
  }

  /**
   * `count` fixed pairs (spread evenly over the split, the same every call), resized to the crop
   * size without flips, in the loader's direction. Files that fail are replaced by others and
   * reported; fewer pairs come back only when the split has no more.
   */
  async loadFixed(count: number, split: SplitName = 'val'): Promise<FixedPair[]> {
    positiveInteger('count', count);
    const source = ([split, 'val', 'test', 'train'] as const).find((s) => this.dataset.splits[s].length > 0)!;
    const pairs = this.dataset.splits[source];
    const options: PreprocessOptions = {
      ...this.options,
      preprocess: fixedPreprocess(this.options.preprocess),
      flip: false,
    };
    const order = spreadOrder(pairs.length, count);
    const fixed: FixedPair[] = [];
    let next = 0;
    while (fixed.length < count && next < order.length) {
      const slice = order.slice(next, next + count - fixed.length);
      next += slice.length;
      const outcomes = await mapLimit(slice, this.prefetch, (i) => this.loadPair(pairs[i]!, null, options));
      outcomes.forEach((outcome, k) => {
        if ('problem' in outcome) return this.tell(outcome.problem);
        fixed.push({ ...outcome.value, file: pairs[slice[k]!]!.a, split: source });
      });
    }
    if (fixed.length === 0) {
      throw new StudioError(
        'io',
        `None of the ${pairs.length} ${source} pairs of ${this.dataset.root} could be loaded.`,
      );
    }
    return fixed;
  }

  protected async produce(plan: EpochPlan, position: number): Promise<LoadOutcome> {
    const pair = this.pairs[plan.order[position]!]!;
    const loaded = await this.loadPair(pair, SeededRandom.fromSeed(plan.seed, position), this.options);
    return 'problem' in loaded
      ? { sample: null, problems: [loaded.problem] }
      : { sample: loaded.value, problems: [] };
  }

  private loadPair(pair: Pair, rng: SeededRandom | null, options: PreprocessOptions) {
    return this.guarded(pair.a, pair.a, async () =>
      preprocessPair(await loadPairImages(pair, this.maxSide), options, rng),
    );
  }
}

export { UnpairedLoader, type UnpairedLoaderOptions, type FixedUnpaired } from './unpaired-loader';
