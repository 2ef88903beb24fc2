import { StudioError } from '../errors';
import { ModelHost, type SpawnModelWorker } from './model-host';
import type { TranslateJob, TranslateOutcome } from './model-jobs';

/** Models a worker keeps open, as its session cache does. */
const WARM_MODELS = 2;

interface Lane {
  host: ModelHost;
  /** The models this lane's worker has open, newest last. */
  warm: string[];
  /** The models of the jobs sent to this lane and not yet answered. */
  jobs: string[];
}

/**
 * Translates the live canvas's drawings in two model workers of their own, apart from exports
 * and batch jobs. Previews (the drawing while a stroke goes on) run in a worker at below-normal
 * OS priority, so drawing stays smooth; everything else, above all the drawing as a stroke ends,
 * runs at once in a normal-priority worker. While it runs, the preview worker is paused where it
 * stands (SIGSTOP, where the OS has it) and goes on afterwards: a stroke's end so never waits
 * for, nor shares the CPU with, the update sent halfway through it, and no work is thrown away
 * or restarted. Each worker keeps the model open; the other opens it as soon as no translation
 * is running.
 */
export class LiveTranslator {
  private readonly preview: Lane;
  private readonly final: Lane;
  private closed = false;
  /** Translations running in the normal-priority worker; the preview worker is paused meanwhile. */
  private finals = 0;

  constructor(spawn: SpawnModelWorker) {
    this.preview = { host: new ModelHost(spawn, { lowPriority: true }), warm: [], jobs: [] };
    this.final = { host: new ModelHost(spawn), warm: [], jobs: [] };
  }

  /** Translates a drawing; a `preview` runs at below-normal priority. */
  async translate(job: TranslateJob, o: { preview?: boolean } = {}): Promise<TranslateOutcome> {
    if (this.closed) throw new StudioError('cancelled', 'Live translation has been closed.');
    const lane = o.preview ? this.preview : this.final;
    lane.jobs.push(job.model);
    if (lane === this.final && ++this.finals === 1) this.preview.host.pause(true);
    try {
      const outcome = await lane.host.run(job);
      this.opened(lane, job.model);
      return outcome;
    } catch (error) {
      if (!lane.host.started) lane.warm = [];
      throw error;
    } finally {
      lane.jobs.splice(lane.jobs.indexOf(job.model), 1);
      if (lane === this.final && --this.finals === 0) this.preview.host.pause(false);
      this.warmIdle(job.model);
    }
  }

  /** Kills both workers; requests still running answer `cancelled`. */
  close(): void {
    this.closed = true;
    this.preview.host.close();
    this.final.host.close();
  }

  private opened(lane: Lane, model: string): void {
    lane.warm = [...lane.warm.filter((m) => m !== model), model].slice(-WARM_MODELS);
  }

  /** Once nothing runs, opens `model` in a worker that lacks it (the first use, or after a crash). */
  private warmIdle(model: string): void {
    const lanes = [this.preview, this.final];
    if (this.closed || lanes.some((l) => l.jobs.length > 0)) return;
    for (const lane of lanes) {
      if (lane.warm.includes(model)) continue;
      lane.jobs.push(model);
      lane.host
        .run({ kind: 'warm', model })
        .then(
          () => this.opened(lane, model),
          () => undefined,
        )
        .finally(() => lane.jobs.splice(lane.jobs.indexOf(model), 1));
    }
  }
}
