import { StudioError } from '../errors';
import {
  isUnaligned,
  type DatasetReport,
  type Problem,
  type SideImage,
  type SplitName,
  type UnalignedSides,
} from './dataset-report';
import { decodeImage, DEFAULT_MAX_SIDE, ImageReadError } from './image-io';
import { labelOf, problemFromError } from './inspect-file';
import { concat, positiveInteger, spreadOrder } from './loader-support';
import { mapLimit } from './map-limit';
import type { Batch, FixedPair, LoaderState } from './pipeline';
import {
  defaultLoadSize,
  ImageTooSmallError,
  type Direction,
  type PreprocessMode,
  type Sample,
} from './preprocess';
import { preprocessImage, type ImagePreprocessOptions } from './preprocess-image';
import { SeededRandom, type RandomState } from './seeded-random';

/** Options for an `UnpairedLoader`; all have the CycleGAN reference's defaults. */
export interface UnpairedLoaderOptions {
  /** The split to iterate; `train` unless told. */
  split?: SplitName;
  batchSize?: number;
  seed?: number;
  /** How many samples to keep decoded and augmented ahead of `next()`; 8 unless told. */
  prefetch?: number;
  /**
   * Shuffle A every epoch and draw B at random; true unless told. False is the reference's
   * `--serial_batches`: A in order and B at the same index (wrapping).
   */
  shuffle?: boolean;
  preprocess?: PreprocessMode;
  /** The sample size; the report's crop size unless told. */
  cropSize?: number;
  /** The size before cropping for `resize_and_crop`; 286 for a 256 crop unless told. */
  loadSize?: number;
  /** Random horizontal flips, drawn for A and B apart; true unless told. */
  flip?: boolean;
  /** `BtoA` hands out the B image as `a` and the A image as `b`; sampling stays the same. */
  direction?: Direction;
  /** Longest side decoded; by default 4× the load size, or 4096 when `preprocess` is `none`. */
  maxSide?: number;
  /** Told once per file about files that fail to load; they are skipped. */
  onProblem?: (problem: Problem) => void;
}

/** A fixed A image and a fixed B image for the validation strip; `file`/`split` describe `a`. */
export interface FixedUnpaired extends FixedPair {
  /** The file of `b`. */
  bFile: string;
  /** The split `b` came from (another split stands in when the one asked for has no images on that side). */
  bSplit: SplitName;
}

interface EpochPlan {
  rngAtStart: RandomState;
  /** Seeds every sample's draws together with its position, so prefetching order never matters. */
  seed: number;
  /** A permutation of the epoch's steps; step `i` takes A image `order[i] % |A|`. */
  order: number[];
}

interface Outcome {
  sample: Sample | null;
  problems: Problem[];
}

type Loaded = { data: Float32Array } | { problem: Problem };

type FixedImage = { data: Float32Array; file: string; split: SplitName };

/** B images tried for one sample before the sample is skipped. */
const B_TRIES = 8;

/**
 * Iterates a split of an unaligned dataset as the CycleGAN reference does: an epoch is
 * max(|A|, |B|) samples, A taken in shuffled order (wrapping when A is the smaller side) and B drawn
 * at random with replacement; A and B are resized, cropped and flipped independently. Seeded,
 * prefetching `prefetch` samples ahead, and resumable exactly with `state()` and `restore()`.
 */
export class UnpairedLoader {
  /** Batches in a full epoch (fewer when files fail to load). */
  readonly stepsPerEpoch: number;
  /** Samples in a full epoch: the number of images on the larger side. */
  readonly samplesPerEpoch: number;
  readonly batchSize: number;
  readonly cropSize: number;
  private readonly root: string;
  private readonly sides: UnalignedSides;
  private readonly split: SplitName;
  private readonly a: SideImage[];
  private readonly b: SideImage[];
  private readonly prefetch: number;
  private readonly shuffle: boolean;
  private readonly direction: Direction;
  private readonly maxSide: number;
  private readonly options: ImagePreprocessOptions;
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

  constructor(report: DatasetReport, options: UnpairedLoaderOptions = {}) {
    if (!isUnaligned(report)) {
      throw new StudioError(
        'invalid-payload',
        `${report.root} was imported as ${report.mode}, not unaligned: import its A and B folders as unaligned to train a CycleGAN on them.`,
      );
    }
    this.root = report.root;
    this.sides = report.unaligned;
    this.split = options.split ?? 'train';
    const { a, b } = this.sides.splits[this.split];
    if (a.length === 0 || b.length === 0) {
      throw new StudioError(
        'invalid-payload',
        `The ${this.split} split of ${report.root} has ${a.length} A and ${b.length} B images: a CycleGAN needs images on both sides.`,
      );
    }
    this.a = a;
    this.b = b;
    this.batchSize = positiveInteger('batch size', options.batchSize ?? 1);
    this.prefetch = positiveInteger('prefetch', options.prefetch ?? 8);
    this.cropSize = positiveInteger('crop size', options.cropSize ?? report.cropSize);
    const preprocess = options.preprocess ?? 'resize_and_crop';
    const loadSize = options.loadSize ?? defaultLoadSize(this.cropSize);
    this.options = { preprocess, loadSize, cropSize: this.cropSize, flip: options.flip ?? true };
    this.maxSide = positiveInteger(
      'maxSide',
      options.maxSide ?? (preprocess === 'none' ? DEFAULT_MAX_SIDE : 4 * Math.max(loadSize, this.cropSize)),
    );
    this.shuffle = options.shuffle ?? true;
    this.direction = options.direction ?? 'AtoB';
    this.onProblem = options.onProblem;
    this.samplesPerEpoch = Math.max(a.length, b.length);
    this.stepsPerEpoch = Math.ceil(this.samplesPerEpoch / this.batchSize);
    this.master = SeededRandom.fromSeed(options.seed ?? 0);
    this.planFor(0);
  }

  /** The next batch (NHWC, `a` and `b`); waits only when prefetching has fallen behind. Calls are served in order. */
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
      position < this.samplesPerEpoch &&
      Number.isInteger(batchInEpoch) &&
      batchInEpoch >= 0;
    if (!valid) {
      throw new StudioError(
        'invalid-payload',
        `The saved data loader state (epoch ${epoch}, position ${position}) does not fit the ${this.split} split of ${this.root}, whose epochs have ${this.samplesPerEpoch} samples.`,
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
   * `count` fixed A images and `count` fixed B images (spread evenly over each side of the split,
   * the same every call), resized to the crop size without flips, side by side in the loader's
   * direction. A side with no images in `split` takes them from val, test, then train. Files that
   * fail are replaced by others and reported; fewer come back only when a side has no more.
   */
  async loadFixed(count: number, split: SplitName = 'val'): Promise<FixedUnpaired[]> {
    positiveInteger('count', count);
    const options: ImagePreprocessOptions = { ...this.options, preprocess: 'resize', flip: false };
    const [a, b] = await Promise.all([
      this.fixedSide('a', count, split, options),
      this.fixedSide('b', count, split, options),
    ]);
    const [first, second] = this.direction === 'BtoA' ? [b, a] : [a, b];
    return first.slice(0, Math.min(a.length, b.length)).map((x, i) => {
      const y = second[i]!;
      return { a: x.data, b: y.data, file: x.file, split: x.split, bFile: y.file, bSplit: y.split };
    });
  }

  private async fixedSide(
    side: 'a' | 'b',
    count: number,
    split: SplitName,
    options: ImagePreprocessOptions,
  ): Promise<FixedImage[]> {
    const splits = this.sides.splits;
    const source = ([split, 'val', 'test', 'train'] as const).find((s) => splits[s][side].length > 0)!;
    const images = splits[source][side];
    const order = spreadOrder(images.length, count);
    const fixed: FixedImage[] = [];
    let next = 0;
    while (fixed.length < count && next < order.length) {
      const slice = order.slice(next, next + count - fixed.length);
      next += slice.length;
      const loaded = await mapLimit(slice, this.prefetch, (i) => this.loadImage(images[i]!, null, options));
      loaded.forEach((outcome, k) => {
        if ('problem' in outcome) return this.tell(outcome.problem);
        fixed.push({ data: outcome.data, file: images[slice[k]!]!.path, split: source });
      });
    }
    if (fixed.length === 0) {
      throw new StudioError(
        'io',
        `None of the ${images.length} ${source} ${side.toUpperCase()} images of ${this.root} could be loaded.`,
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
        for (const problem of outcome.problems) this.tell(problem);
        if (outcome.sample !== null) {
          samples.push(outcome.sample);
          failuresInARow = 0;
          continue;
        }
        failuresInARow += 1;
        if (failuresInARow >= this.samplesPerEpoch) {
          const last = outcome.problems.at(-1)?.message ?? 'none was reported';
          throw new StudioError(
            'io',
            `No sample of the ${this.split} split of ${this.root} could be loaded. The last problem: ${last}`,
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
    if (this.cursor.position === this.samplesPerEpoch) {
      this.cursor = { epoch: epoch + 1, position: 0, batchInEpoch: 0 };
      this.plans.delete(epoch);
    }
    this.fill();
    return outcome;
  }

  private fill(): void {
    while (this.queue.length < this.prefetch) {
      const { epoch, position } = this.scheduled;
      this.queue.push(this.produce(this.planFor(epoch), position));
      this.scheduled =
        position + 1 === this.samplesPerEpoch
          ? { epoch: epoch + 1, position: 0 }
          : { epoch, position: position + 1 };
    }
  }

  /** The plan of `epoch`, making the plans up to it in order so the generator stream stays the same. */
  private planFor(epoch: number): EpochPlan {
    while (this.lastPlanned < epoch) {
      const rngAtStart = this.master.state();
      const seed = this.master.nextUint32();
      const order = Array.from({ length: this.samplesPerEpoch }, (_, i) => i);
      if (this.shuffle) this.master.shuffle(order);
      this.lastPlanned += 1;
      this.plans.set(this.lastPlanned, { rngAtStart, seed, order });
    }
    return this.plans.get(epoch)!;
  }

  /** One sample: A at the plan's index, B drawn (or, unshuffled, at the same index), each augmented on its own. */
  private async produce(plan: EpochPlan, position: number): Promise<Outcome> {
    const index = plan.order[position]!;
    const aImage = this.a[index % this.a.length]!;
    const [a, b] = await Promise.all([
      this.loadImage(aImage, SeededRandom.fromSeed(plan.seed, position, 1), this.options),
      this.loadB(plan.seed, position, index),
    ]);
    const problems = 'problem' in a ? [a.problem, ...b.problems] : b.problems;
    if ('problem' in a || b.data === null) return { sample: null, problems };
    const sample = this.direction === 'BtoA' ? { a: b.data, b: a.data } : { a: a.data, b: b.data };
    return { sample, problems };
  }

  /**
   * The B image of a sample: drawn at random (`index` % |B| when unshuffled), with other draws tried
   * when one fails to load. Every draw and augmentation has its own stream, so nothing depends on timing.
   */
  private async loadB(
    seed: number,
    position: number,
    index: number,
  ): Promise<{ data: Float32Array | null; problems: Problem[] }> {
    const problems: Problem[] = [];
    const draw = SeededRandom.fromSeed(seed, position, 0);
    for (let attempt = 0; attempt < Math.min(B_TRIES, this.b.length); attempt += 1) {
      const i = this.shuffle ? draw.int(this.b.length) : (index + attempt) % this.b.length;
      const augment = SeededRandom.fromSeed(seed, position, 2, attempt);
      const loaded = await this.loadImage(this.b[i]!, augment, this.options);
      if ('data' in loaded) return { data: loaded.data, problems };
      problems.push(loaded.problem);
    }
    return { data: null, problems };
  }

  private async loadImage(
    image: SideImage,
    rng: SeededRandom | null,
    options: ImagePreprocessOptions,
  ): Promise<Loaded> {
    const known = this.failed.get(image.path);
    if (known) return { problem: known };
    try {
      const decoded = await decodeImage(image.path, { maxSide: this.maxSide });
      return { data: await preprocessImage(decoded, options, rng) };
    } catch (error) {
      const problem = this.describe(image.path, error);
      this.failed.set(image.path, problem);
      return { problem };
    }
  }

  private describe(path: string, error: unknown): Problem {
    const name = labelOf(this.root, path);
    if (error instanceof ImageTooSmallError) {
      return { file: path, kind: 'too-small', message: `Skipped ${name}: ${error.message}` };
    }
    const problem = problemFromError(path, name, error);
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
