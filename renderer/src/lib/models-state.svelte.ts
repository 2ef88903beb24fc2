import type { ModelRunResult, ModelView } from '../../../preload/contract';
import { BusyState } from './busy-state.svelte';
import { baseName, formatParity } from './format';

/** Where the export of a run stands, as the run's page shows it. */
export type ExportStatus =
  | { state: 'exporting' }
  | { state: 'exported'; model: ModelView }
  | { state: 'refused'; message: string; parity: boolean };

/** A CycleGAN generator's direction; pix2pix runs have one generator and no direction. */
export type ExportDirection = 'AtoB' | 'BtoA';

/** The key of a run's export status: the run, and the generator's direction for two-way models. */
export function exportKey(runId: string, direction?: ExportDirection): string {
  return direction ? `${runId}:${direction}` : runId;
}

/** A model's result on one image, with both images read as data URLs. */
export interface ShownResult extends ModelRunResult {
  inputUrl: string;
  outputUrl: string;
}

/** Where a model came from, e.g. `exported from run 1a2b3c4d at step 12` or `imported`. */
export function modelSource(model: ModelView): string {
  if (model.source === 'import') return 'imported';
  const run = model.runId ? `run ${model.runId.slice(0, 8)}` : 'a run';
  return model.checkpointStep === null
    ? `exported from ${run}`
    : `exported from ${run} at step ${model.checkpointStep}`;
}

/** The parity line: `parity 3.1e-7`, or why there is none. */
export function parityText(model: ModelView): string {
  if (model.parityMaxAbs !== null) return `parity ${formatParity(model.parityMaxAbs)}`;
  return model.source === 'import' ? 'imported — no parity check' : 'no parity figure';
}

/** A refused call's message, naming `path`'s file when the message does not already. */
function namingFile(error: unknown, path: string): Error {
  const message = (error as Error).message;
  const name = baseName(path);
  return new Error(message.includes(name) ? message : `${name}: ${message}`);
}

/** Running the selected model on images: the chosen paths and the latest result per model. */
export class ModelRunState extends BusyState {
  imagePath = $state('');
  maskPath = $state('');
  /** Which half of an aligned A|B image to run on; empty for the whole image. */
  half = $state<'' | 'left' | 'right'>('');
  results = $state<Record<string, ShownResult>>({});

  /** Runs `model` on the chosen image (and mask) and reads both images back for the compare view. */
  async run(model: ModelView): Promise<void> {
    const imagePath = this.imagePath.trim();
    const maskPath = this.maskPath.trim();
    if (!imagePath) {
      this.error = 'Choose an image to run the model on.';
      return;
    }
    await this.attempt(async () => {
      const result = await window.studio.runModel({
        modelId: model.id,
        imagePath,
        ...(model.needsMask && maskPath ? { maskPath } : {}),
        ...(this.half ? { half: this.half } : {}),
      });
      const [inputUrl, outputUrl] = await Promise.all([
        window.studio.readImage({ path: result.inputPath }),
        window.studio.readImage({ path: result.outputPath }),
      ]);
      this.results[model.id] = { ...result, inputUrl, outputUrl };
    }, `Running ${model.name}…`);
  }

  /** Drops what is kept for a model that is gone. */
  forget(modelId: string): void {
    delete this.results[modelId];
  }
}

/**
 * The Models panel's state for the current project: its ONNX models, the selected one, imports,
 * deletes, exports of runs (kept per run for the run pages) and the runner. Lives outside the
 * components so it survives switching panels.
 */
export class ModelsState extends BusyState {
  projectId = $state<string | null>(null);
  models = $state<ModelView[]>([]);
  loaded = $state(false);
  selectedId = $state<string | null>(null);
  /** The outcome of the last import, for the line under the toolbar. */
  lastImport = $state<string | null>(null);
  exports = $state<Record<string, ExportStatus>>({});
  readonly runner = new ModelRunState();

  selected = $derived(this.models.find((m) => m.id === this.selectedId) ?? null);

  private unsubscribe: (() => void) | null = null;

  /** Follows model changes made anywhere (other windows, the CLI) for as long as the app runs. */
  start(): void {
    this.unsubscribe ??= window.studio.onModelsChanged(({ projectId }) => {
      if (projectId === this.projectId) void this.refresh();
    });
  }

  /** Loads the models of `projectId` (or clears the state when null). */
  async load(projectId: string | null): Promise<void> {
    if (projectId === this.projectId) return;
    this.projectId = projectId;
    this.models = [];
    this.selectedId = null;
    this.lastImport = null;
    this.error = null;
    this.runner.error = null;
    this.loaded = false;
    if (!projectId) return;
    await this.attempt(async () => {
      const models = await window.studio.listModels({ projectId });
      if (this.projectId !== projectId) return;
      this.models = models;
      this.selectedId = models[0]?.id ?? null;
      this.loaded = true;
    });
  }

  /** Re-reads the list, keeping the selection while its model exists. */
  async refresh(): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    try {
      const models = await window.studio.listModels({ projectId });
      if (this.projectId !== projectId) return;
      this.models = models;
      this.loaded = true;
      if (!models.some((m) => m.id === this.selectedId)) this.selectedId = models[0]?.id ?? null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Shows a model and its runner. */
  select(modelId: string): void {
    this.selectedId = modelId;
    this.runner.error = null;
  }

  /** Adds the ONNX file at `path` to the project once ONNX Runtime has opened and described it. */
  async importFile(path: string): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    this.lastImport = null;
    await this.attempt(
      async () => {
        let model: ModelView;
        try {
          model = await window.studio.importModel({ projectId, path });
        } catch (error) {
          throw namingFile(error, path);
        }
        if (this.projectId !== projectId) return;
        this.put(model);
        this.selectedId = model.id;
        this.lastImport = `Imported “${model.name}”: ${model.width}×${model.height}, ${model.inChannels} → ${model.outChannels} channels.`;
      },
      `Importing ${baseName(path)}…`,
    );
  }

  /** Deletes a model and its file. */
  async remove(modelId: string): Promise<void> {
    await this.attempt(async () => {
      await window.studio.deleteModel({ modelId });
      this.models = this.models.filter((m) => m.id !== modelId);
      this.runner.forget(modelId);
      if (this.selectedId === modelId) this.selectedId = this.models[0]?.id ?? null;
    }, 'Deleting…');
  }

  /**
   * Exports a run's checkpoint (its newest unless `checkpointStep` is given) after the parity
   * check; `direction` picks a CycleGAN generator. Its status is kept under `exportKey`.
   */
  async exportRun(runId: string, checkpointStep?: number, direction?: ExportDirection): Promise<void> {
    const key = exportKey(runId, direction);
    if (this.exports[key]?.state === 'exporting') return;
    this.exports[key] = { state: 'exporting' };
    try {
      const model = await window.studio.exportModel({
        runId,
        ...(checkpointStep === undefined ? {} : { checkpointStep }),
        ...(direction === undefined ? {} : { direction }),
      });
      this.exports[key] = { state: 'exported', model };
      if (model.projectId === this.projectId) this.put(model);
    } catch (error) {
      this.exports[key] = {
        state: 'refused',
        message: (error as Error).message,
        parity: (error as { code?: unknown }).code === 'parity',
      };
    }
  }

  private put(model: ModelView): void {
    this.models = [model, ...this.models.filter((m) => m.id !== model.id)];
    this.loaded = true;
  }
}
