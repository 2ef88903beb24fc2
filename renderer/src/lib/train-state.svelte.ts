import { DEFAULT_MASK_DESIGN } from '../../../models/masks';
import type {
  DeriveKind,
  MaskDesign,
  RunDetail,
  RunView,
  TrainingEvent,
  TrainSettings,
} from '../../../preload/contract';
import { BusyState } from './busy-state.svelte';

/** The GAN a run trains. */
export type ModelKind = NonNullable<TrainSettings['model']>;

/** What the Train form holds; `length` counts steps or epochs as `lengthUnit` says. */
export interface TrainForm {
  model: ModelKind;
  datasetId: string;
  size: number;
  lengthUnit: 'steps' | 'epochs';
  length: number;
  batch: number;
  backend: TrainSettings['backend'];
  direction: TrainSettings['direction'];
  derive: DeriveKind;
  ngf: number;
  norm: TrainSettings['norm'];
  gan: TrainSettings['gan'];
  sampleEvery: number;
  checkpointEvery: number;
  seed: number;
  /** How inpainting draws its training holes; sent only when the model is inpaint. */
  maskDesign: MaskDesign;
  /** pix2pix also learns from simulated colour hints, so points on the canvas steer its colours. */
  hints: boolean;
  /** Latent GAN: the length of its code. */
  nz: number;
  /** Latent GAN: spectral normalisation of the critic. */
  spectralNorm: boolean;
}

/** The form's starting values: small enough to train on a laptop CPU in minutes. */
export const DEFAULT_FORM: TrainForm = {
  model: 'pix2pix',
  datasetId: '',
  size: 128,
  lengthUnit: 'steps',
  length: 2000,
  batch: 1,
  backend: 'auto',
  direction: 'AtoB',
  derive: 'gray2color',
  ngf: 64,
  norm: 'batch',
  gan: 'vanilla',
  sampleEvery: 50,
  checkpointEvery: 250,
  seed: 0,
  maskDesign: copyDesign(DEFAULT_MASK_DESIGN),
  hints: false,
  nz: 100,
  spectralNorm: false,
};

/** A copy of a mask design that shares no arrays with it, so the form can edit it in place. */
export function copyDesign(design: MaskDesign): MaskDesign {
  return {
    ...design,
    strokes: [...design.strokes],
    vertices: [...design.vertices],
    width: [...design.width],
    boxes: [...design.boxes],
    boxSize: [...design.boxSize],
  };
}

/**
 * Image sizes the form offers per model: powers of two for the U-Net, multiples of 4 for the
 * ResNet, the inpainting generator's three sizes, and the latent GAN's 64 and 128 (32 for a quick try).
 */
export const MODEL_SIZES: Record<ModelKind, number[]> = {
  pix2pix: [32, 64, 128, 256],
  cyclegan: [32, 64, 96, 128, 192, 256],
  inpaint: [64, 128, 256],
  latent: [32, 64, 128],
};

/** The settings each model starts from, as its reference trains it. */
export const MODEL_DEFAULTS: Record<ModelKind, Pick<TrainForm, 'size' | 'norm' | 'gan' | 'ngf' | 'batch'>> = {
  pix2pix: { size: 128, norm: 'batch', gan: 'vanilla', ngf: 64, batch: 1 },
  cyclegan: { size: 128, norm: 'instance', gan: 'lsgan', ngf: 64, batch: 1 },
  inpaint: { size: 128, norm: 'none', gan: 'hinge', ngf: 32, batch: 1 },
  latent: { size: 64, norm: 'none', gan: 'wgangp', ngf: 32, batch: 16 },
};

/**
 * The GAN losses each model trains with (CycleGAN has no WGAN-GP; inpainting is SN-PatchGAN's
 * hinge; the latent GAN is WGAN-GP, whose critic also scores images).
 */
export const MODEL_GANS: Record<ModelKind, TrainSettings['gan'][]> = {
  pix2pix: ['vanilla', 'lsgan', 'hinge', 'wgangp'],
  cyclegan: ['vanilla', 'lsgan', 'hinge'],
  inpaint: ['hinge'],
  latent: ['wgangp'],
};

/** The models that learn from a dataset's images alone, so any dataset trains them. */
export function learnsFromImages(model: ModelKind): boolean {
  return model === 'inpaint' || model === 'latent';
}

/** The model a dataset trains: CycleGAN for unaligned images, pix2pix for pairs. */
export function modelForDataset(datasetMode: string | undefined): ModelKind {
  return datasetMode === 'unaligned' ? 'cyclegan' : 'pix2pix';
}

/** Why `model` cannot train on a dataset of `datasetMode`, or null when it can (inpainting and the latent GAN train on any). */
export function modelMismatch(model: ModelKind, datasetMode: string | undefined): string | null {
  if (datasetMode === undefined || learnsFromImages(model) || model === modelForDataset(datasetMode))
    return null;
  return model === 'pix2pix'
    ? 'pix2pix learns from pairs; this dataset’s A and B images are not pairs, so it trains a CycleGAN.'
    : 'CycleGAN trains on images that are not pairs (trainA/ and trainB/, or two folders); this dataset has pairs.';
}

/** The residual blocks of CycleGAN's ResNet generator at `size`: 6 below 256 px, 9 from 256. */
export function resnetBlocks(size: number): number {
  return size >= 256 ? 9 : 6;
}

/**
 * The form switched to `model`, with that model's loss, norm, width and batch defaults and a size
 * it can train at.
 */
export function withModel(form: TrainForm, model: ModelKind): TrainForm {
  if (form.model === model) return form;
  const defaults = MODEL_DEFAULTS[model];
  return {
    ...form,
    model,
    norm: defaults.norm,
    gan: defaults.gan,
    ngf: defaults.ngf,
    // The latent GAN trains in batches (WGAN-GP's penalty and critic want them); the others one pair at a time.
    batch: model === 'latent' || form.model === 'latent' ? defaults.batch : form.batch,
    size: MODEL_SIZES[model].includes(form.size) ? form.size : defaults.size,
  };
}

/** The newest progress a live run reported. */
export interface LiveProgress {
  step: number;
  totalSteps: number | null;
  epoch: number;
  itPerSec: number;
  etaSec: number;
}

/** A warning or error a run reported, in the order they came. */
export interface RunMessage {
  level: 'info' | 'warning' | 'error';
  text: string;
}

/**
 * The settings the contract takes, from the form and the chosen dataset's mode. Inpainting and
 * the latent GAN learn from the images themselves: no direction, no derived inputs, no norm;
 * inpainting sends its mask design, the latent GAN its code length and spectral norm.
 */
export function settingsFromForm(form: TrainForm, datasetMode: string | undefined): TrainSettings {
  const inpaint = form.model === 'inpaint';
  const imagesOnly = learnsFromImages(form.model);
  return {
    model: form.model,
    datasetId: form.datasetId,
    size: form.size,
    ...(form.lengthUnit === 'steps' ? { steps: form.length } : { epochs: form.length }),
    batch: form.batch,
    backend: form.backend,
    direction: form.model === 'pix2pix' ? form.direction : 'AtoB',
    ...(datasetMode === 'single' && !imagesOnly ? { derive: form.derive } : {}),
    ...(inpaint ? { maskDesign: copyDesign(form.maskDesign) } : {}),
    ...(form.model === 'pix2pix' && form.hints ? { hints: true } : {}),
    ...(form.model === 'latent' ? { nz: form.nz, spectralNorm: form.spectralNorm } : {}),
    ngf: form.ngf,
    norm: imagesOnly ? 'none' : form.norm,
    gan: form.gan,
    sampleEvery: form.sampleEvery,
    checkpointEvery: form.checkpointEvery,
    seed: form.seed,
  };
}

const IMAGE_CACHE_SIZE = 40;

/**
 * The Train panel's state for the current project: runs, the selected run's detail kept current
 * from training events, live progress and messages per run, and the form. Lives outside the
 * components so it survives switching panels.
 */
export class TrainState extends BusyState {
  projectId = $state<string | null>(null);
  runs = $state<RunView[]>([]);
  loaded = $state(false);
  selectedId = $state<string | null>(null);
  /** Whether the page shows the new-run form instead of a run. */
  showForm = $state(true);
  detail = $state<RunDetail | null>(null);
  live = $state<Record<string, LiveProgress>>({});
  messages = $state<Record<string, RunMessage[]>>({});
  stopping = $state<Record<string, boolean>>({});
  form = $state<TrainForm>({ ...DEFAULT_FORM, maskDesign: copyDesign(DEFAULT_FORM.maskDesign) });
  /** Index into the selected run's samples the slider points at; null follows the newest. */
  sampleIndex = $state<number | null>(null);

  selected = $derived(this.runs.find((r) => r.id === this.selectedId) ?? null);

  private pending: { runId: string; event: TrainingEvent }[] | null = null;
  // Bookkeeping that nothing renders, so plain (non-reactive) collections.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private unknown = new Set<string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private images = new Map<string, string>();
  private unsubscribe: (() => void) | null = null;

  /** Follows training events from every window and process for as long as the app runs. */
  start(): void {
    this.unsubscribe ??= window.studio.onTrainingEvent((payload) =>
      this.onEvent(payload.runId, payload.event),
    );
  }

  /** Loads the runs of `projectId` (or clears the state when null). */
  async load(projectId: string | null): Promise<void> {
    if (projectId === this.projectId) return;
    this.projectId = projectId;
    this.runs = [];
    this.selectedId = null;
    this.detail = null;
    this.showForm = true;
    this.error = null;
    this.loaded = false;
    this.form = { ...this.form, datasetId: '' };
    if (!projectId) return;
    await this.attempt(async () => {
      const runs = await window.studio.listRuns({ projectId });
      if (this.projectId !== projectId) return;
      this.runs = runs;
      this.loaded = true;
      if (runs[0]) await this.select(runs[0].id);
    });
  }

  /** Shows a run's page, loading its metrics and samples. */
  async select(runId: string): Promise<void> {
    this.showForm = false;
    if (this.selectedId === runId && this.detail?.run.id === runId) return;
    this.selectedId = runId;
    this.detail = null;
    this.sampleIndex = null;
    await this.loadDetail(runId);
  }

  /** Shows the new-run form. */
  newRun(): void {
    this.showForm = true;
  }

  /** Chooses the form's model, taking that model's defaults for what the two do not share. */
  chooseModel(model: ModelKind): void {
    this.form = withModel(this.form, model);
  }

  /** Starts a run with the form's settings and shows it. */
  async startRun(datasetMode: string | undefined): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    await this.attempt(async () => {
      const run = await window.studio.startRun({
        projectId,
        settings: settingsFromForm(this.form, datasetMode),
      });
      if (this.projectId !== projectId) return;
      this.runs = [run, ...this.runs.filter((r) => r.id !== run.id)];
      if (!this.messages[run.id]) this.messages[run.id] = [];
      await this.select(run.id);
    }, 'Starting…');
  }

  /** Asks a run to stop after its current step (it writes a checkpoint first). */
  async stop(runId: string): Promise<void> {
    this.stopping[runId] = true;
    await this.attempt(async () => {
      try {
        await window.studio.stopRun({ runId });
      } catch (error) {
        this.stopping[runId] = false;
        throw error;
      }
    });
  }

  /** Continues a stopped or crashed run from its newest checkpoint. */
  async resume(runId: string): Promise<void> {
    await this.attempt(async () => {
      this.replaceRun(await window.studio.resumeRun({ runId }));
    }, 'Resuming…');
  }

  /** A sample or other image from the data directory, as a data URL (cached). */
  async image(path: string): Promise<string> {
    const cached = this.images.get(path);
    if (cached) return cached;
    const url = await window.studio.readImage({ path });
    this.images.set(path, url);
    if (this.images.size > IMAGE_CACHE_SIZE) {
      const oldest = this.images.keys().next().value;
      if (oldest !== undefined) this.images.delete(oldest);
    }
    return url;
  }

  private async loadDetail(runId: string): Promise<void> {
    this.pending = [];
    try {
      const detail = await window.studio.getRun({ runId });
      if (this.selectedId !== runId) return;
      this.replaceRun(detail.run);
      for (const queued of this.pending) if (queued.runId === runId) applyToDetail(detail, queued.event);
      this.detail = detail;
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.pending = null;
    }
  }

  private async refreshRuns(): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    try {
      const runs = await window.studio.listRuns({ projectId });
      if (this.projectId === projectId) this.runs = runs;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private replaceRun(run: RunView): void {
    this.runs = this.runs.map((r) => (r.id === run.id ? run : r));
  }

  private onEvent(runId: string, event: TrainingEvent): void {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) {
      if (event.type === 'started' && !this.unknown.has(runId)) {
        this.unknown.add(runId);
        void this.refreshRuns();
      }
      return;
    }
    // Read back through the state proxy so pushes are seen (`??=` would return the raw array).
    if (!this.messages[runId]) this.messages[runId] = [];
    const messages = this.messages[runId];
    switch (event.type) {
      case 'started':
        run.status = 'running';
        run.backend = event.backend;
        run.error = null;
        this.stopping[runId] = false;
        this.live[runId] = {
          step: event.resumedFrom ?? 0,
          totalSteps: event.totalSteps,
          epoch: 0,
          itPerSec: 0,
          etaSec: NaN,
        };
        messages.push({
          level: 'info',
          text:
            event.resumedFrom === null
              ? `Training on ${event.backend} (${event.backendDetail}).`
              : `Resumed from step ${event.resumedFrom} on ${event.backend} (${event.backendDetail}).`,
        });
        break;
      case 'progress':
        this.live[runId] = {
          step: event.step,
          totalSteps: event.totalSteps,
          epoch: event.epoch,
          itPerSec: event.itPerSec,
          etaSec: event.etaSec,
        };
        break;
      case 'warning':
        messages.push({ level: 'warning', text: event.message });
        break;
      case 'done': {
        run.status = event.stopped ? 'stopped' : 'done';
        this.stopping[runId] = false;
        const live = this.live[runId];
        if (live) this.live[runId] = { ...live, step: event.step, etaSec: 0 };
        this.refreshEnded(runId);
        break;
      }
      case 'error':
        run.status = event.crashed ? 'crashed' : 'failed';
        run.error = event.message;
        this.stopping[runId] = false;
        messages.push({ level: 'error', text: event.message });
        this.refreshEnded(runId);
        break;
    }
    if (runId !== this.selectedId) return;
    if (this.pending) this.pending.push({ runId, event });
    else if (this.detail?.run.id === runId) applyToDetail(this.detail, event);
  }

  /** Re-reads the run list and the ended run's checkpoints (its final checkpoint came just before). */
  private refreshEnded(runId: string): void {
    void this.refreshRuns();
    if (this.selectedId !== runId || this.detail?.run.id !== runId) return;
    void window.studio
      .getRun({ runId })
      .then((detail) => {
        if (this.selectedId === runId && this.detail?.run.id === runId) {
          this.detail.checkpoints = detail.checkpoints;
          this.detail.run = detail.run;
        }
      })
      .catch(() => undefined);
  }
}

/** Appends what a training event adds to a run's metrics, samples and checkpoints. */
function applyToDetail(detail: RunDetail, event: TrainingEvent): void {
  const put = (name: string, step: number, value: number): void => {
    if (!detail.metrics[name]) detail.metrics[name] = [];
    const series = detail.metrics[name];
    const last = series[series.length - 1];
    if (last && last[0] === step) series[series.length - 1] = [step, value];
    else if (!last || last[0] < step) series.push([step, value]);
  };
  switch (event.type) {
    case 'started':
      if (event.resumedFrom !== null) {
        const from = event.resumedFrom;
        for (const [name, series] of Object.entries(detail.metrics))
          detail.metrics[name] = series.filter(([step]) => step <= from);
      }
      break;
    case 'progress':
      for (const [name, value] of Object.entries(event.losses)) put(`loss_${name}`, event.step, value);
      put('lr', event.step, event.lr);
      put('it_per_sec', event.step, event.itPerSec);
      break;
    case 'eval':
      if (event.l1 !== undefined) put('val_l1', event.step, event.l1);
      if (event.psnr !== undefined) put('val_psnr', event.step, event.psnr);
      if (event.ssim !== undefined) put('val_ssim', event.step, event.ssim);
      if (event.baselineL1 !== undefined) put('val_baseline_l1', event.step, event.baselineL1);
      if (event.cycleA !== undefined) put('val_cycle_A', event.step, event.cycleA);
      if (event.cycleB !== undefined) put('val_cycle_B', event.step, event.cycleB);
      break;
    case 'sample': {
      const samples = detail.samples.filter((s) => s.step !== event.step);
      samples.push({ step: event.step, path: event.path });
      samples.sort((a, b) => a.step - b.step);
      detail.samples = samples;
      break;
    }
    case 'checkpoint':
      detail.checkpoints.push({ step: event.step, path: event.path, bytes: event.bytes });
      break;
    case 'done':
    case 'error':
    case 'warning':
      break;
  }
}
