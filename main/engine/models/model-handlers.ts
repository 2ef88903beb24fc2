import type { Payloads } from '../../../preload/contract';
import type { ModelService } from './model-service';

/** Handlers for the models of a project: list, export, import, delete, run on an image. */
export function modelHandlers(models: ModelService) {
  return {
    'models:list': ({ projectId }: Payloads['models:list']) => models.store.list(projectId),
    'models:export': ({ runId, checkpointStep, name, direction }: Payloads['models:export']) =>
      models.exportRun(runId, { checkpointStep, name, direction }),
    'models:import': ({ projectId, path, name }: Payloads['models:import']) =>
      models.importFile(projectId, path, name),
    'models:delete': ({ modelId }: Payloads['models:delete']) => models.delete(modelId),
    'models:run': ({ modelId, imagePath, maskPath, half }: Payloads['models:run']) =>
      models.runOnImage(modelId, imagePath, { maskPath, half }),
  };
}
