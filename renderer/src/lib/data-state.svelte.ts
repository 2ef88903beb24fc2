import type { DatasetView, DeriveKind, PreviewPair } from '../../../preload/contract';
import { BusyState } from './busy-state.svelte';
import { baseName } from './format';

/**
 * The import mode choice: the engine detects the layout, or the person names it; `two-folders`
 * imports an A folder and a B folder as one unaligned dataset.
 */
export type ImportMode = 'auto' | DatasetView['mode'] | 'two-folders';

const PREVIEW_COUNT = 6;

/**
 * The Data panel's state for the current project: its datasets, the selected one with its
 * augmented preview, and what is busy or went wrong. Lives outside the component so it survives
 * switching panels.
 */
export class DataState extends BusyState {
  projectId = $state<string | null>(null);
  datasets = $state<DatasetView[]>([]);
  loaded = $state(false);
  selectedId = $state<string | null>(null);
  importMode = $state<ImportMode>('auto');
  preview = $state<PreviewPair[]>([]);
  previewSeed = $state(0);
  derive = $state<DeriveKind>('gray2color');
  previewing = $state(false);
  /** The outcome of the last import, for the line under the toolbar. */
  lastImport = $state<string | null>(null);

  selected = $derived(this.datasets.find((d) => d.id === this.selectedId) ?? null);
  private previewToken = 0;

  /** Loads the datasets of `projectId` (or clears the state when null). */
  async load(projectId: string | null): Promise<void> {
    if (projectId === this.projectId) return;
    this.projectId = projectId;
    this.datasets = [];
    this.selectedId = null;
    this.preview = [];
    this.error = null;
    this.lastImport = null;
    this.loaded = false;
    if (!projectId) return;
    await this.attempt(async () => {
      const datasets = await window.studio.listDatasets({ projectId });
      if (this.projectId !== projectId) return;
      this.datasets = datasets;
      this.loaded = true;
      if (datasets[0]) await this.select(datasets[0].id);
    });
  }

  /**
   * Imports the folder at `root` with the chosen mode and selects it; with `secondRoot`, `root`
   * holds the A images and `secondRoot` the B images of an unaligned dataset.
   */
  async importFolder(root: string, secondRoot?: string): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    this.lastImport = null;
    const mode =
      secondRoot !== undefined || this.importMode === 'two-folders' ? 'unaligned' : this.importMode;
    await this.attempt(
      async () => {
        const dataset = await window.studio.importDataset({
          projectId,
          root,
          ...(mode === 'auto' ? {} : { mode }),
          ...(secondRoot === undefined ? {} : { secondRoot, name: unalignedName(root, secondRoot) }),
        });
        if (this.projectId !== projectId) return;
        this.datasets = [dataset, ...this.datasets.filter((d) => d.id !== dataset.id)];
        this.lastImport = `Imported “${dataset.name}”: ${importSummary(dataset)}.`;
        await this.select(dataset.id);
      },
      secondRoot === undefined ? `Importing ${root}…` : `Importing ${root} (A) and ${secondRoot} (B)…`,
    );
  }

  /** Writes the demo dataset into the project (once) and selects it. */
  async useDemo(): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return;
    const existing = this.datasets.find((d) => d.root.endsWith('demo-outlines-to-shapes'));
    if (existing) return this.select(existing.id);
    await this.attempt(async () => {
      const dataset = await window.studio.createDemoDataset({ projectId });
      if (this.projectId !== projectId) return;
      this.datasets = [dataset, ...this.datasets.filter((d) => d.id !== dataset.id)];
      await this.select(dataset.id);
    }, 'Writing the demo dataset (200 pairs)…');
  }

  /** Shows a dataset's report and a fresh preview of it. */
  async select(id: string): Promise<void> {
    if (this.selectedId !== id) {
      this.selectedId = id;
      this.preview = [];
    }
    await this.refreshPreview();
  }

  /** A new random draw of augmented pairs. */
  async reshuffle(): Promise<void> {
    this.previewSeed = (this.previewSeed + 1) % 2 ** 31;
    await this.refreshPreview();
  }

  /** Changes how a single-folder dataset derives its inputs, and previews that. */
  async setDerive(kind: DeriveKind): Promise<void> {
    this.derive = kind;
    await this.refreshPreview();
  }

  private async refreshPreview(): Promise<void> {
    const dataset = this.selected;
    if (!dataset) return;
    const token = ++this.previewToken;
    this.previewing = true;
    try {
      const pairs = await window.studio.previewDataset({
        datasetId: dataset.id,
        count: PREVIEW_COUNT,
        seed: this.previewSeed,
        ...(dataset.mode === 'single' ? { derive: this.derive } : {}),
      });
      if (token !== this.previewToken) return;
      this.preview = pairs;
      this.error = null;
    } catch (error) {
      if (token === this.previewToken) this.error = (error as Error).message;
    } finally {
      if (token === this.previewToken) this.previewing = false;
    }
  }
}

/** The name of a dataset made of two folders, `horses ↔ zebras`, short enough for a name. */
function unalignedName(a: string, b: string): string {
  return `${baseName(a).slice(0, 45)} ↔ ${baseName(b).slice(0, 45)}`;
}

/** What an import brought in: pairs, or images per side of an unaligned dataset, and what was left out. */
function importSummary(dataset: DatasetView): string {
  const left = `${plural(dataset.counts.problems, 'file')} left out`;
  if (dataset.mode === 'single')
    return `${plural(dataset.counts.pairs, 'photo')}, a pair derived from each, ${left}`;
  if (!dataset.sides) return `${plural(dataset.counts.pairs, 'pair')}, ${left}`;
  const { trainA, trainB } = dataset.sides;
  return `${trainA} A and ${trainB} B training images (not pairs), ${left}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
