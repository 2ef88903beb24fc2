import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import type { DatasetReport } from '../datasets/dataset-report';
import { StudioError } from '../errors';
import type { EventBus } from '../event-bus';
import { trainConfigSchema, type TrainConfig, type TrainConfigInput } from './run-config';
import { RunStore, type RunRecord } from './run-store';
import { runFiles } from './train-loop';
import { superviseTrainer, type SpawnTrainer, type TrainerHandle, type TrainerOutcome } from './trainer-host';
import type { TrainerEvent } from './trainer-messages';

/** Where runs go by default: `<project folder>/runs/<run id>`. */
export type RunFolderOf = (projectId: string, runId: string) => string;

/**
 * Starts, stops and resumes training runs: validates the configuration, writes the run folder,
 * keeps the catalog in step with the trainer's events, and forwards them on the event bus.
 */
export class TrainingService {
  private readonly live = new Map<string, TrainerHandle>();

  constructor(
    readonly runs: RunStore,
    private readonly bus: EventBus,
    private readonly spawn: SpawnTrainer,
    private readonly runFolderOf: RunFolderOf,
  ) {
    runs.markOrphansCrashed();
  }

  /**
   * Creates a run for `projectId` and starts training it. `onEvent` sees every event too. A
   * `report` already scanned from the run's data (the CLI checks a latent set's size before
   * training) is written to the run folder, so the trainer does not scan again.
   */
  start(
    projectId: string,
    input: TrainConfigInput,
    options: { runDir?: string; onEvent?: (e: TrainerEvent) => void; report?: DatasetReport } = {},
  ): RunRecord {
    const parsed = trainConfigSchema.safeParse(input);
    if (!parsed.success) {
      throw new StudioError(
        'invalid-payload',
        `Invalid training settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
      );
    }
    const config: TrainConfig = {
      ...parsed.data,
      data: { ...parsed.data.data, root: resolve(parsed.data.data.root) },
    };
    assertFolder(config.data.root, 'dataset folder');
    if (config.data.secondRoot) assertFolder(config.data.secondRoot, 'second dataset folder');
    const id = randomUUID();
    const runDir = resolve(options.runDir ?? this.runFolderOf(projectId, id));
    prepareRunDir(runDir);
    writeFileAtomic(runFiles(runDir).config, [Buffer.from(JSON.stringify(config, null, 2))]);
    if (options.report)
      writeFileAtomic(runFiles(runDir).report, [Buffer.from(JSON.stringify(options.report))]);
    const record = this.runs.create({ id, projectId, config, runDir });
    this.launch(record, false, options.onEvent);
    return record;
  }

  /**
   * Continues a stopped, failed or crashed run from its newest checkpoint. A run whose trainer
   * has reported its end but not yet exited is waited for.
   */
  async resume(runId: string, onEvent?: (e: TrainerEvent) => void): Promise<RunRecord> {
    let record = this.runs.get(runId);
    const ending = this.live.get(runId);
    if (ending) {
      if (record.status === 'running' || record.status === 'queued') {
        throw new StudioError('conflict', 'This run is already training.');
      }
      await ending.outcome;
      record = this.runs.get(runId);
    }
    if (record.status === 'done')
      throw new StudioError(
        'conflict',
        'This run has finished all its steps; start a new run to train further.',
      );
    if (!existsSync(runFiles(record.runDir).config)) {
      throw new StudioError(
        'not-found',
        `The run folder ${record.runDir} is gone, so the run cannot resume.`,
      );
    }
    this.launch(record, true, onEvent);
    return this.runs.get(runId);
  }

  /** Asks a run to stop after its current step; it writes a checkpoint first. */
  async stop(runId: string, graceMs?: number): Promise<TrainerOutcome> {
    const handle = this.live.get(runId);
    if (!handle) throw new StudioError('conflict', 'This run is not training.');
    return handle.stop(graceMs);
  }

  /** Waits until a run's process ends. */
  outcome(runId: string): Promise<TrainerOutcome> {
    const handle = this.live.get(runId);
    if (!handle) throw new StudioError('conflict', 'This run is not training.');
    return handle.outcome;
  }

  /** Ids of the runs training now. */
  active(): string[] {
    return [...this.live.keys()];
  }

  /** Stops every live run (the app is closing). */
  async stopAll(graceMs?: number): Promise<void> {
    await Promise.all([...this.live.values()].map((h) => h.stop(graceMs)));
  }

  private launch(record: RunRecord, resume: boolean, onEvent?: (e: TrainerEvent) => void): void {
    this.runs.setStatus(record.id, 'queued');
    this.runs.claim(record.id);
    const handle = superviseTrainer(this.spawn, record.runDir, resume, (event) => {
      this.runs.record(record.id, event);
      this.bus.emit('train:event', { runId: record.id, event });
      onEvent?.(event);
    });
    this.live.set(record.id, handle);
    void handle.outcome.then(() => this.live.delete(record.id));
  }
}

function assertFolder(path: string, what: string): void {
  if (!existsSync(path)) throw new StudioError('not-found', `The ${what} ${path} does not exist.`);
  if (!statSync(path).isDirectory())
    throw new StudioError('invalid-payload', `The ${what} ${path} is a file, not a folder.`);
}

function prepareRunDir(runDir: string): void {
  try {
    mkdirSync(join(runDir, 'checkpoints'), { recursive: true });
    accessSync(runDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'it is not writable'
        : (error as Error).message;
    throw new StudioError('io', `Cannot use ${runDir} as the run's output folder: ${why}.`);
  }
}
