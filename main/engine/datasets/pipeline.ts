import { StudioError } from '../errors';
import type { DatasetReport, Pair, Problem, SplitName } from './dataset-report';
import type { DerivedKind } from './derive-pairs';
import { DEFAULT_MAX_SIDE, ImageReadError } from './image-io';
import { labelOf, problemFromError } from './inspect-file';
import { loadPairImages } from './load-pair';
import { concat, positiveInteger, spreadOrder } from './loader-support';
import { mapLimit } from './map-limit';
import {
  defaultLoadSize,
  ImageTooSmallError,
  preprocessPair,
  type Direction,
  type PreprocessMode,
  type PreprocessOptions,
  type Sample,
} from './preprocess';
import { SeededRandom, type RandomState } from './seeded-random';

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

/** A batch: NHWC Float32 in [-1, 1], `batch` samples of `cropSize`×`cropSize`×3. */
export interface Batch {
  a: Float32Array;
  b: Float32Array;
  /** Samples in this batch (N); the last batch of an epoch may be smaller than the batch size. */
  batch: number;
  epoch: number;
  /** Which batch of its epoch this is, from 0. */
  indexInEpoch: number;
}

/** Where a loader stands, to resume it exactly: a JSON-safe checkpoint. */
export interface LoaderState {
  epoch: number;
  /** The next sample's position in the epoch's order. */
  position: number;
  /** Batches already returned in this epoch. */
  batchInEpoch: number;
  /** The loader's generator at the start of `epoch`; the epoch's order and augmentations follow from it. */
  rng: RandomState;
}

/** A fixed, non-augmented pair for the validation strip and metrics: HWC in [-1, 1]. */
export interface FixedPair extends Sample {
  /** The pair's `a` file. */
  file: string;
  /** The split it came from (another split stands in when the one asked for is empty). */
  split: SplitName;
}

interface EpochPlan {
  rngAtStart: RandomState;
  /** Seeds every sample's augmentation together with its position, so prefetching order never matters. */
  seed: number;
  order: number[];
}

type Outcome = { sample: Sample } | { problem: Problem };

/**
 * Iterates a split in seeded, shuffled batches while decoding and augmenting up to `prefetch`
 * samples ahead (sharp works in libuv's thread pool, so this overlaps training). Files that fail
 * to load are skipped and reported through `onProblem`; `state()` and `restore()` resume exactly.
 */
export class PairLoader {
  /** Batches in a full epoch (fewer when files fail to load). */
  readonly stepsPerEpoch: number;
  readonly batchSize: number;
  readonly cropSize: number;
  private readonly dataset: DatasetReport;
  private readonly split: SplitName;
  private readonly pairs: Pair[];
  private readonly prefetch: number;
  private readonly shuffle: boolean;
  private readonly maxSide: number;
  private readonly options: PreprocessOptions;
  private readonly onProblem: ((problem: Problem) => void) | undefined;
  private master: SeededRandom;
  private plans = new Map<number, EpochPlan>();
  private lastPlanned = -1;
  private queue: Promise<Outcome>[] = [];
  private cursor = { epoch: 0, position: 0, batchInEpoch: 0 };
  private scheduled = { epoch: 0, position: 0 };
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly failed = new Map<string, Problem>();
  private readonly reported = new Set<string>();
  private closed = false;

  constructor(report: DatasetReport, options: PairLoaderOptions = {}) {
    this.dataset = report;
    this.split = options.split ?? 'train';
    if (report.mode === 'unaligned') {
      throw new StudioError(
        'invalid-payload',
        `${report.root} is an unaligned dataset: its A and B images are not pairs, so it trains a CycleGAN (UnpairedLoader), not pix2pix.`,
      );
    }
    this.pairs = report.splits[this.split];
    if (this.pairs.length === 0) {
      throw new StudioError('invalid-payload', `The ${this.split} split of ${report.root} has no pairs.`);
    }
    this.batchSize = positiveInteger('batch size', options.batchSize ?? 1);
    this.prefetch = positiveInteger('prefetch', options.prefetch ?? 8);
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
    this.shuffle = options.shuffle ?? true;
    this.onProblem = options.onProblem;
    this.stepsPerEpoch = Math.ceil(this.pairs.length / this.batchSize);
    this.master = SeededRandom.fromSeed(options.seed ?? 0);
    this.planFor(0);
  }

  /** The next batch; waits only when prefetching has fallen behind. Calls are served in order. */
  next(): Promise<Batch> {
    if (this.closed) return Promise.reject(new StudioError('conflict', 'The data loader was closed.'));
    this.pending += 1;
    const result = this.chain.then(() => this.assemble()).finally(() => (this.pending -= 1));
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** A checkpoint of the loader's position; `restore` of it gives the same batches from here on. */
  state(): LoaderState {
    const { epoch, position, batchInEpoch } = this.cursor;
    return { epoch, position, batchInEpoch, rng: [...this.planFor(epoch).rngAtStart] };
  }

  /** Continues from a `state()`, dropping whatever was prefetched. Not while a `next()` is pending. */
  restore(state: LoaderState): void {
    if (this.pending > 0) {
      throw new StudioError('conflict', 'Cannot restore the data loader while a batch is loading.');
    }
    const { epoch, position, batchInEpoch } = state;
    const valid =
      Number.isInteger(epoch) &&
      epoch >= 0 &&
      Number.isInteger(position) &&
      position >= 0 &&
      position < this.pairs.length &&
      Number.isInteger(batchInEpoch) &&
      batchInEpoch >= 0;
    if (!valid) {
      throw new StudioError(
        'invalid-payload',
        `The saved data loader state (epoch ${epoch}, position ${position}) does not fit the ${this.split} split of ${this.pairs.length} pairs.`,
      );
    }
    this.master = SeededRandom.fromState(state.rng);
    this.plans.clear();
    this.lastPlanned = epoch - 1;
    this.planFor(epoch);
    this.cursor = { epoch, position, batchInEpoch };
    this.scheduled = { epoch, position };
    this.queue = [];
  }

  /** Stops prefetching and drops what was prefetched; `next()` fails afterwards. */
  close(): void {
    this.closed = true;
    this.queue = [];
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
    const options: PreprocessOptions = { ...this.options, preprocess: 'resize', flip: false };
    const order = spreadOrder(pairs.length, count);
    const fixed: FixedPair[] = [];
    let next = 0;
    while (fixed.length < count && next < order.length) {
      const slice = order.slice(next, next + count - fixed.length);
      next += slice.length;
      const outcomes = await mapLimit(slice, this.prefetch, (i) => this.produce(pairs[i]!, null, options));
      outcomes.forEach((outcome, k) => {
        if ('problem' in outcome) return this.tell(outcome.problem);
        fixed.push({ ...outcome.sample, file: pairs[slice[k]!]!.a, split: source });
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

  private async assemble(): Promise<Batch> {
    let failuresInARow = 0;
    for (;;) {
      const { epoch, batchInEpoch } = this.cursor;
      const samples: Sample[] = [];
      while (samples.length < this.batchSize && this.cursor.epoch === epoch) {
        const outcome = await this.take();
        if ('sample' in outcome) {
          samples.push(outcome.sample);
          failuresInARow = 0;
          continue;
        }
        this.tell(outcome.problem);
        failuresInARow += 1;
        if (failuresInARow >= this.pairs.length) {
          throw new StudioError(
            'io',
            `No image of the ${this.split} split of ${this.dataset.root} could be loaded. The last problem: ${outcome.problem.message}`,
          );
        }
      }
      if (this.cursor.epoch === epoch) this.cursor.batchInEpoch += 1;
      if (samples.length > 0) {
        return { ...concat(samples), batch: samples.length, epoch, indexInEpoch: batchInEpoch };
      }
    }
  }

  private take(): Promise<Outcome> {
    if (this.closed) throw new StudioError('conflict', 'The data loader was closed.');
    this.fill();
    const outcome = this.queue.shift()!;
    const { epoch } = this.cursor;
    this.cursor.position += 1;
    if (this.cursor.position === this.pairs.length) {
      this.cursor = { epoch: epoch + 1, position: 0, batchInEpoch: 0 };
      this.plans.delete(epoch);
    }
    this.fill();
    return outcome;
  }

  private fill(): void {
    while (this.queue.length < this.prefetch) {
      const { epoch, position } = this.scheduled;
      const plan = this.planFor(epoch);
      const pair = this.pairs[plan.order[position]!]!;
      this.queue.push(this.produce(pair, SeededRandom.fromSeed(plan.seed, position), this.options));
      this.scheduled =
        position + 1 === this.pairs.length
          ? { epoch: epoch + 1, position: 0 }
          : { epoch, position: position + 1 };
    }
  }

  /** The plan of `epoch`, making the plans up to it in order so the generator stream stays the same. */
  private planFor(epoch: number): EpochPlan {
    while (this.lastPlanned < epoch) {
      const rngAtStart = this.master.state();
      const seed = this.master.nextUint32();
      const order = this.pairs.map((_, i) => i);
      if (this.shuffle) this.master.shuffle(order);
      this.lastPlanned += 1;
      this.plans.set(this.lastPlanned, { rngAtStart, seed, order });
    }
    return this.plans.get(epoch)!;
  }

  private async produce(pair: Pair, rng: SeededRandom | null, options: PreprocessOptions): Promise<Outcome> {
    const known = this.failed.get(pair.a);
    if (known) return { problem: known };
    try {
      const images = await loadPairImages(pair, this.maxSide);
      return { sample: await preprocessPair(images, options, rng) };
    } catch (error) {
      const problem = this.describe(pair, error);
      this.failed.set(pair.a, problem);
      return { problem };
    }
  }

  private describe(pair: Pair, error: unknown): Problem {
    const file = error instanceof ImageReadError ? error.path : pair.a;
    const name = labelOf(this.dataset.root, file);
    if (error instanceof ImageTooSmallError) {
      return { file, kind: 'too-small', message: `Skipped ${name}: ${error.message}` };
    }
    const problem = problemFromError(file, name, error);
    return {
      ...problem,
      kind: error instanceof ImageReadError ? problem.kind : 'corrupt',
      message: `${problem.message} It was skipped.`,
    };
  }

  private tell(problem: Problem): void {
    if (this.reported.has(problem.file)) return;
    this.reported.add(problem.file);
    this.onProblem?.(problem);
  }
}

export { UnpairedLoader, type UnpairedLoaderOptions, type FixedUnpaired } from './unpaired-loader';
