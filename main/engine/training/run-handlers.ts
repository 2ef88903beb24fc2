import type Database from 'better-sqlite3';
import type { Payloads, RunDetail, RunView } from '../../../preload/contract';
import type { ProjectStore } from '../catalog/project-store';
import { getDataset } from '../datasets/dataset-store';
import { StudioError } from '../errors';
import { latentDataError } from './latent-data';
import type { TrainConfigInput } from './run-config';
import type { RunRecord } from './run-store';
import type { TrainingService } from './training-service';

/** A run as the contract shows it. */
export function runView(record: RunRecord): RunView {
  return {
    id: record.id,
    projectId: record.projectId,
    kind: record.kind,
    status: record.status,
    backend: record.backend,
    runDir: record.runDir,
    datasetRoot: record.config.data.root,
    size: record.config.size,
    steps: record.config.steps ?? null,
    epochs: record.config.epochs ?? null,
    error: record.error,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
  };
}

/** Handlers for starting, stopping, resuming and inspecting training runs. */
export function runHandlers(db: Database.Database, projects: ProjectStore, training: TrainingService) {
  return {
    'runs:start': ({ projectId, settings }: Payloads['runs:start']): RunView => {
      projects.get(projectId);
      const dataset = getDataset(db, settings.datasetId);
      const photosOnly = settings.model === 'inpaint' || settings.model === 'latent';
      const tooFew = settings.model === 'latent' ? latentDataError(dataset.report) : undefined;
      if (tooFew) throw new StudioError('bad-input', tooFew);
      const config: TrainConfigInput = {
        model: settings.model ?? (dataset.report.mode === 'unaligned' ? 'cyclegan' : 'pix2pix'),
        data: {
          root: dataset.report.root,
          mode: dataset.report.mode,
          secondRoot: dataset.report.secondRoot ?? undefined,
          derive: photosOnly
            ? undefined
            : (settings.derive ?? (dataset.report.mode === 'single' ? 'gray2color' : undefined)),
        },
        size: settings.size,
        steps: settings.steps,
        epochs: settings.epochs,
        batch: settings.batch,
        backend: settings.backend,
        direction: settings.direction,
        ngf: settings.ngf,
        ndf: settings.ngf,
        norm: settings.norm,
        gan: settings.gan,
        sampleEvery: settings.sampleEvery,
        checkpointEvery: settings.checkpointEvery,
        seed: settings.seed,
        ...(settings.maskDesign ? { maskDesign: settings.maskDesign } : {}),
        ...(settings.hints ? { hints: true } : {}),
        ...(settings.model === 'latent'
          ? { nz: settings.nz, spectralNorm: settings.spectralNorm, norm: 'none' as const }
          : {}),
      };
      const record = training.start(projectId, config);
      db.prepare(`UPDATE runs SET dataset_id = ? WHERE id = ?`).run(dataset.id, record.id);
      return runView(training.runs.get(record.id));
    },
    'runs:stop': ({ runId }: Payloads['runs:stop']): RunView => {
      void training.stop(runId).catch(() => undefined);
      return runView(training.runs.get(runId));
    },
    'runs:resume': async ({ runId }: Payloads['runs:resume']): Promise<RunView> =>
      runView(await training.resume(runId)),
    'runs:list': ({ projectId }: Payloads['runs:list']): RunView[] =>
      training.runs.list(projectId).map(runView),
    'runs:get': ({ runId }: Payloads['runs:get']): RunDetail => ({
      run: runView(training.runs.get(runId)),
      metrics: training.runs.metrics(runId),
      samples: training.runs.samples(runId),
      checkpoints: training.runs.checkpoints(runId).map(({ step, path, bytes }) => ({ step, path, bytes })),
    }),
  };
}
