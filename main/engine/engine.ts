import { join } from 'node:path';
import type { AppInfo, Notice } from '../../preload/contract';
import { openCatalog, type Catalog } from './catalog/database';
import { ProjectStore } from './catalog/project-store';
import type { HandlerTable } from './dispatch';
import { StudioError } from './errors';
import { datasetHandlers } from './dataset-handlers';
import { EventBus } from './event-bus';
import { readImageDataUrl } from './image-files';
import { listFolder } from './folder-listing';
import { probeInferenceProviders, probeTrainingBackends } from './runtime-probe';
import { LiveTranslator } from './inference/live-translator';
import { ModelHost, type SpawnModelWorker } from './inference/model-host';
import { modelHandlers } from './models/model-handlers';
import { LatentService } from './latent/latent-service';
import { CanvasService } from './models/canvas-service';
import { ModelService } from './models/model-service';
import { ModelStore } from './models/model-store';
import { runHandlers } from './training/run-handlers';
import { RunStore } from './training/run-store';
import type { SpawnTrainer } from './training/trainer-host';
import { TrainingService } from './training/training-service';

/** What the host (Electron or plain Node) tells the engine about itself. */
export interface HostInfo {
  version: string;
  electron: string | null;
  chrome: string | null;
  capabilities: AppInfo['capabilities'];
  /** A native folder dialog; absent where the host has none. */
  pickFolder?: (title?: string) => Promise<string | null>;
  nativeBinding?: string;
  /** Starts a trainer process (fork in plain Node, utilityProcess in Electron). */
  spawnTrainer: SpawnTrainer;
  /** Starts the model worker (export, inference) the same way. */
  spawnModelWorker: SpawnModelWorker;
}

/** The engine: catalog, stores and the handler table, shared by every transport. */
export interface Engine {
  dataDir: string;
  catalog: Catalog;
  projects: ProjectStore;
  bus: EventBus;
  training: TrainingService;
  models: ModelService;
  handlers: HandlerTable;
  close(): void;
}

/** Opens the catalog in `dataDir` and wires the handlers every transport serves. */
export function createEngine(dataDir: string, host: HostInfo): Engine {
  const catalog = openCatalog(dataDir, { nativeBinding: host.nativeBinding });
  const projects = new ProjectStore(catalog.db, join(dataDir, 'projects'));
  const bus = new EventBus();
  const training = new TrainingService(new RunStore(catalog.db), bus, host.spawnTrainer, (projectId, runId) =>
    join(projects.folderOf(projectId), 'runs', runId),
  );
  const modelHost = new ModelHost(host.spawnModelWorker);
  const models = new ModelService(
    new ModelStore(catalog.db),
    new RunStore(catalog.db),
    projects,
    modelHost,
    bus,
  );
  const live = new LiveTranslator(host.spawnModelWorker);
  const canvas = new CanvasService(models.store, projects, modelHost, live);
  const latent = new LatentService(models.store, modelHost);
  const notices: Notice[] = [...catalog.notices];
  let runtimes: Pick<AppInfo, 'trainingBackends' | 'inferenceProviders'> | null = null;
  const changed = (): void => bus.emit('projects:changed', projects.list());

  const handlers: HandlerTable = {
    'app:info': () => {
      runtimes ??= {
        trainingBackends: probeTrainingBackends(),
        inferenceProviders: probeInferenceProviders(),
      };
      return {
        version: host.version,
        versions: {
          node: process.versions.node,
          electron: host.electron,
          chrome: host.chrome,
          v8: process.versions.v8,
        },
        platform: `${process.platform}-${process.arch}`,
        dataDir,
        ...runtimes,
        capabilities: host.capabilities,
        notices,
      };
    },
    'projects:list': () => projects.list(),
    'projects:create': ({ name }) => {
      const project = projects.create(name);
      changed();
      return project;
    },
    'projects:open': ({ id }) => {
      const project = projects.open(id);
      changed();
      return project;
    },
    'projects:rename': ({ id, name }) => {
      const project = projects.rename(id, name);
      changed();
      return project;
    },
    'projects:delete': ({ id }) => {
      projects.delete(id);
      changed();
      return { id };
    },
    'dialog:pick-folder': async ({ title }) => {
      if (!host.pickFolder) {
        throw new StudioError(
          'unsupported',
          'This host has no native folder dialog: use the folder browser.',
        );
      }
      return host.pickFolder(title);
    },
    'fs:list-folder': ({ path }) => listFolder(path),
    ...datasetHandlers(catalog.db, projects),
    ...runHandlers(catalog.db, projects, training),
    ...modelHandlers(models),
    'canvas:open': ({ projectId, path }) => canvas.open(projectId, path),
    'canvas:open-mask': ({ path, width, height }) => canvas.openMask(path, width, height),
    'canvas:fill': ({ modelId, imagePath, mask, feather }) => canvas.fill(modelId, imagePath, mask, feather),
    'canvas:translate': (request) => canvas.translate(request),
    'latent:open': ({ modelId }) => latent.open(modelId),
    'latent:sample': ({ modelId, codes }) => latent.sample(modelId, codes),
    'latent:random': ({ modelId, count, seed }) => latent.random(modelId, count, seed),
    'latent:project': ({ modelId, path, steps }) => latent.project(modelId, path, steps),
    'latent:constrain': ({ modelId, ...request }) => latent.constrain(modelId, request),
    'latent:save-direction': ({ modelId, name, vector }) => latent.saveDirection(modelId, name, vector),
    'latent:delete-direction': ({ modelId, directionId }) => latent.deleteDirection(modelId, directionId),
    'latent:rank': ({ modelId, folder }) => latent.rank(modelId, folder),
    'files:image': ({ path }) => readImageDataUrl(catalog.db, dataDir, path),
  };

  const close = (): void => {
    modelHost.close();
    live.close();
    catalog.close();
  };
  return { dataDir, catalog, projects, bus, training, models, handlers, close };
}
