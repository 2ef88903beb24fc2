import { basename, resolve } from 'node:path';
import { saveDataset } from '../../engine/datasets/dataset-store';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import type { DatasetMode } from '../../engine/datasets/dataset-report';
import type { Engine } from '../../engine/engine';
import type { Output } from '../output';
import { CLI_PROJECT } from './train';

/** Options of `ganstudio import`. */
export interface ImportOptions {
  mode?: DatasetMode;
  name?: string;
  second?: string;
  size: number;
}

/** `ganstudio import <dir>`: scans a dataset, prints its report, and records it in the catalog. */
export async function importDataset(
  engine: Engine,
  root: string,
  options: ImportOptions,
  out: Output,
): Promise<void> {
  const report = await scanDataset(root, {
    mode: options.mode,
    secondRoot: options.second,
    cropSize: options.size,
  });
  for (const problem of report.problems)
    out.event({ event: 'problem', ...problem }, `${problem.kind}: ${problem.message}`);
  const project = engine.projects.ensure(CLI_PROJECT);
  const datasetId = saveDataset(engine.catalog.db, project.id, report, options.name ?? basename(report.root));
  const c = report.counts;
  out.result(
    { datasetId, mode: report.mode, root: report.root, counts: c, problems: report.problems.length },
    `Imported ${report.root} as ${report.mode}: ${c.train} train, ${c.val} val${report.valFromTrain ? ' (split off train)' : ''}, ${c.test} test pairs; ${c.problems} file(s) left out${c.problems ? ' (listed above)' : ''}.`,
  );
}

/** `ganstudio import <model.onnx>`: validates an image-to-image ONNX model and adds it to the catalog. */
export async function importModel(
  engine: Engine,
  file: string,
  name: string | undefined,
  out: Output,
): Promise<void> {
  const project = engine.projects.ensure(CLI_PROJECT);
  const model = await engine.models.importFile(project.id, resolve(file), name);
  out.result(
    model,
    `Imported ${file} as "${model.name}": ${model.kind}, ${model.inChannels}→${model.outChannels} channels at ${model.width}×${model.height}, values ${model.valueRange}${model.needsMask ? ', with a mask input' : ''}; ${model.latencyMs?.toFixed(1)} ms per image on ${model.provider}.`,
  );
}
