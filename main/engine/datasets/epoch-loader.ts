import { StudioError } from '../errors';
import type { Problem, SplitName } from './dataset-report';
import { ImageReadError } from './image-io';
import { labelOf, problemFromError } from './inspect-file';
import { concat } from './loader-support';
import { ImageTooSmallError, type Sample } from './preprocess';
import { SeededRandom, type RandomState } from './seeded-random';

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

/** One epoch's order and seed, drawn from the loader's generator. */
export interface EpochPlan {
  rngAtStart: RandomState;
  /** Seeds every sample's draws together with its position, so prefetching order never matters. */
  seed: number;
  /** A permutation of the epoch's positions. */
  order: number[];
}

/** What loading one sample gave: the sample, or null, and the problems met on the way. */
export interface LoadOutcome {
  sample: Sample | null;
  problems: Problem[];
}

/** What a loader tells the shared machinery about its split. */
export interface EpochLoaderSetup {
  root: string;
  split: SplitName;
  samplesPerEpoch: number;
  batchSize: number;
  prefetch: number;
  seed: number;
  shuffle: boolean;
  onProblem?: (problem: Problem) => void;
  /** What one sample is called in messages (`image`, `sample`). */
  unit: string;
  /** The split as a restore error names it (`the train split of 12 pairs`). */
  splitDescription: string;
}

/**
 * The machinery every training loader shares: epochs planned from one seeded generator, samples
 * produced up to `prefetch` ahead in a fixed order, batches served in call order, exact
 * `state()`/`restore()`, and each failing file reported once. Subclasses say how one sample at a
 * position of an epoch's plan is loaded.
 */
export abstract class EpochLoader {
  /** Batches in a full epoch (fewer when files fail to load). */
  readonly stepsPerEpoch: number;
  /** Samples in a full epoch. */
  readonly samplesPerEpoch: number;
  readonly batchSize: number;
  protected readonly root: string;
  protected readonly split: SplitName;
  protected readonly prefetch: number;
  protected readonly shuffle: boolean;
  private readonly setup: EpochLoaderSetup;
  private master: SeededRandom;
  private plans = new Map<number, EpochPlan>();
  private lastPlanned = -1;
  private queue: Promise<LoadOutcome>[] = [];
  private cursor = { epoch: 0, position: 0, batchInEpoch: 0 };
  private scheduled = { epoch: 0, position: 0 };
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly failed = new Map<string, Problem>();
  private readonly reported = new Set<string>();
  private closed = false;

  protected constructor(setup: EpochLoaderSetup) {
    this.setup = setup;
    this.root = setup.root;
    this.split = setup.split;
    this.samplesPerEpoch = setup.samplesPerEpoch;
    this.batchSize = setup.batchSize;
    this.prefetch = setup.prefetch;
    this.shuffle = setup.shuffle;
    this.stepsPerEpoch = Math.ceil(this.samplesPerEpoch / this.batchSize);
    this.master = SeededRandom.fromSeed(setup.seed);
    this.planFor(0);
  }

  /** Loads the sample at `position` of an epoch's plan. */
  protected abstract produce(plan: EpochPlan, position: number): Promise<LoadOutcome>;

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
      position < this.samplesPerEpoch &&
      Number.isInteger(batchInEpoch) &&
      batchInEpoch >= 0;
    if (!valid) {
      throw new StudioError(
        'invalid-payload',
        `The saved data loader state (epoch ${epoch}, position ${position}) does not fit ${this.setup.splitDescription}.`,
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
   * Runs `work` for a file unless it failed before; a failure becomes a Problem (remembered under
   * `key`) naming the file that could not be read, or `file` when the error does not say.
   */
  protected async guarded<T>(
    key: string,
    file: string,
    work: () => Promise<T>,
  ): Promise<{ value: T } | { problem: Problem }> {
    const known = this.failed.get(key);
    if (known) return { problem: known };
    try {
      return { value: await work() };
    } catch (error) {
      const problem = this.describe(error instanceof ImageReadError ? error.path : file, error);
      this.failed.set(key, problem);
      return { problem };
    }
  }

  /** Reports a problem through `onProblem`, once per file. */
  protected tell(problem: Problem): void {
    if (this.reported.has(problem.file)) return;
    this.reported.add(problem.file);
    this.setup.onProblem?.(problem);
  }

  private describe(file: string, error: unknown): Problem {
    const name = labelOf(this.root, file);
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
            `No ${this.setup.unit} of the ${this.split} split of ${this.root} could be loaded. The last problem: ${last}`,
          );
        }
      }
      if (this.cursor.epoch === epoch) this.cursor.batchInEpoch += 1;
      if (samples.length > 0) {
        return { ...concat(samples), batch: samples.length, epoch, indexInEpoch: batchInEpoch };
      }
    }
  }

  private take(): Promise<LoadOutcome> {
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
}
