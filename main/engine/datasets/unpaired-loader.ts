import { basename, extname } from 'node:path';
import { StudioError } from '../errors';
import {
  isUnaligned,
  type DatasetReport,
  type Problem,
  type SideImage,
  type SplitName,
  type UnalignedSides,
} from './dataset-report';
import { EpochLoader, type EpochPlan, type LoadOutcome } from './epoch-loader';
import { decodeImage, DEFAULT_MAX_SIDE } from './image-io';
import { positiveInteger, spreadOrder } from './loader-support';
import { mapLimit } from './map-limit';
import type { FixedPair } from './pipeline';
import { defaultLoadSize, fixedPreprocess, type Direction, type PreprocessMode } from './preprocess';
import { preprocessImage, type ImagePreprocessOptions } from './preprocess-image';
import { SeededRandom } from './seeded-random';

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

type Loaded = { value: Float32Array } | { problem: Problem };

type FixedImage = { data: Float32Array; file: string; split: SplitName };

/** B images tried for one sample before the sample is skipped. */
const B_TRIES = 8;

/**
 * Iterates a split of an unaligned dataset as the CycleGAN reference does: an epoch is
 * max(|A|, |B|) samples, A taken in shuffled order (wrapping when A is the smaller side) and B drawn
 * at random with replacement; A and B are resized, cropped and flipped independently. Seeded,
 * prefetching `prefetch` samples ahead, and resumable exactly with `state()` and `restore()`.
 */
export class UnpairedLoader extends EpochLoader {
  readonly cropSize: number;
  private readonly sides: UnalignedSides;
  private readonly a: SideImage[];
  private readonly b: SideImage[];
  private readonly direction: Direction;
  private readonly maxSide: number;
  private readonly options: ImagePreprocessOptions;

  constructor(report: DatasetReport, options: UnpairedLoaderOptions = {}) {
    if (!isUnaligned(report)) {
      throw new StudioError(
        'invalid-payload',
        `${report.root} was imported as ${report.mode}, not unaligned: import its A and B folders as unaligned to train a CycleGAN on them.`,
      );
    }
    const split = options.split ?? 'train';
    const { a, b } = report.unaligned.splits[split];
    if (a.length === 0 || b.length === 0) {
      throw new StudioError(
        'invalid-payload',
        `The ${split} split of ${report.root} has ${a.length} A and ${b.length} B images: a CycleGAN needs images on both sides.`,
      );
    }
    const samplesPerEpoch = Math.max(a.length, b.length);
    super({
      root: report.root,
      split,
      samplesPerEpoch,
      batchSize: positiveInteger('batch size', options.batchSize ?? 1),
      prefetch: positiveInteger('prefetch', options.prefetch ?? 8),
      seed: options.seed ?? 0,
      shuffle: options.shuffle ?? true,
      onProblem: options.onProblem,
      unit: 'sample',
      splitDescription: `the ${split} split of ${report.root}, whose epochs have ${samplesPerEpoch} samples`,
    });
    this.sides = report.unaligned;
    this.a = a;
    this.b = b;
    this.cropSize = positiveInteger('crop size', options.cropSize ?? report.cropSize);
    const preprocess = options.preprocess ?? 'resize_and_crop';
    const loadSize = options.loadSize ?? defaultLoadSize(this.cropSize);
    this.options = { preprocess, loadSize, cropSize: this.cropSize, flip: options.flip ?? true };
    this.maxSide = positiveInteger(
      'maxSide',
      options.maxSide ?? (preprocess === 'none' ? DEFAULT_MAX_SIDE : 4 * Math.max(loadSize, this.cropSize)),
    );
    this.direction = options.direction ?? 'AtoB';
  }

  /**
   * `count` fixed A images and `count` fixed B images (spread evenly over each side of the split,
   * the same every call), resized to the crop size without flips, side by side in the loader's
   * direction. A side with no images in `split` takes them from val, test, then train. Files that
   * fail are replaced by others and reported; fewer come back only when a side has no more.
   */
  async loadFixed(count: number, split: SplitName = 'val'): Promise<FixedUnpaired[]> {
    positiveInteger('count', count);
    const options: ImagePreprocessOptions = {
      ...this.options,
      preprocess: fixedPreprocess(this.options.preprocess),
      flip: false,
    };
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

  /**
   * Held-out A and B images that share a file name on both sides (`testA/12.jpg` and
   * `testB/12.jpg`), from `split` or else the first held-out split that has any: the ground-truth
   * pairs some unpaired sets carry, against which an L1 means something. Empty when no names
   * match, and for test images the studio held out of train itself.
   */
  async loadMatched(count: number, split: SplitName = 'test'): Promise<FixedPair[]> {
    positiveInteger('count', count);
    const options: ImagePreprocessOptions = {
      ...this.options,
      preprocess: fixedPreprocess(this.options.preprocess),
      flip: false,
    };
    for (const source of new Set<SplitName>([split, 'test', 'val'])) {
      // Images held out of train by the studio share names only by chance.
      if (source === 'test' && this.sides.testFromTrain) continue;
      const { a, b } = this.sides.splits[source];
      const bByName = new Map(b.map((image) => [nameOf(image.path), image]));
      const matched = a.filter((image) => bByName.has(nameOf(image.path)));
      if (matched.length === 0) continue;
      const picked = spreadOrder(matched.length, count).slice(0, count);
      const loaded = await mapLimit(picked, this.prefetch, async (i) => {
        const aImage = matched[i]!;
        const bImage = bByName.get(nameOf(aImage.path))!;
        const [x, y] = await Promise.all([
          this.loadImage(aImage, null, options),
          this.loadImage(bImage, null, options),
        ]);
        for (const outcome of [x, y]) if ('problem' in outcome) this.tell(outcome.problem);
        if (!('value' in x) || !('value' in y)) return null;
        const [first, second] = this.direction === 'BtoA' ? [y.value, x.value] : [x.value, y.value];
        return { a: first, b: second, file: aImage.path, split: source };
      });
      return loaded.filter((pair): pair is FixedPair => pair !== null);
    }
    return [];
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
        fixed.push({ data: outcome.value, file: images[slice[k]!]!.path, split: source });
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

  /** One sample: A at the plan's index, B drawn (or, unshuffled, at the same index), each augmented on its own. */
  protected async produce(plan: EpochPlan, position: number): Promise<LoadOutcome> {
    const index = plan.order[position]!;
    const aImage = this.a[index % this.a.length]!;
    const [a, b] = await Promise.all([
      this.loadImage(aImage, SeededRandom.fromSeed(plan.seed, position, 1), this.options),
      this.loadB(plan.seed, position, index),
    ]);
    const problems = 'problem' in a ? [a.problem, ...b.problems] : b.problems;
    if ('problem' in a || b.data === null) return { sample: null, problems };
    const sample = this.direction === 'BtoA' ? { a: b.data, b: a.value } : { a: a.value, b: b.data };
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
      if ('value' in loaded) return { data: loaded.value, problems };
      problems.push(loaded.problem);
    }
    return { data: null, problems };
  }

  private loadImage(
    image: SideImage,
    rng: SeededRandom | null,
    options: ImagePreprocessOptions,
  ): Promise<Loaded> {
    return this.guarded(image.path, image.path, async () =>
      preprocessImage(await decodeImage(image.path, { maxSide: this.maxSide }), options, rng),
    );
  }
}

/** A file's name without folder or extension, the key that matches an A image to its B twin. */
function nameOf(path: string): string {
  return basename(path, extname(path));
}
