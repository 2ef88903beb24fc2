import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { DatasetView, Payloads, PreviewPair, Results } from '../../preload/contract';
import type { ProjectStore } from './catalog/project-store';
import { getDataset, listDatasets, saveDataset, type DatasetSummary } from './datasets/dataset-store';
import { writeDemoDataset } from './datasets/demo-dataset';
import { fromFloatHWC, rgbPngDataUrl } from './datasets/image-io';
import { PairLoader, UnpairedLoader } from './datasets/pipeline';
import { scanDataset } from './datasets/scan-dataset';
import { squareCropPreview } from './datasets/square-crop-preview';
import { latentImageCounts } from './training/latent-data';

const PREVIEW_SIZE = 128;

/** The dataset with its report's problems, as the contract shows it. */
export function datasetView(db: Database.Database, summary: DatasetSummary): DatasetView {
  const { report } = getDataset(db, summary.id);
  const sides = report.unaligned?.counts;
  return {
    ...summary,
    problems: report.problems.map(({ file, kind, message }) => ({ file, kind, message })),
    ...(sides
      ? { sides: { trainA: sides.trainA, trainB: sides.trainB, testA: sides.testA, testB: sides.testB } }
      : {}),
    ...(report.notes?.length ? { notes: report.notes } : {}),
    squareCrop: latentImageCounts(report),
  };
}

function pngDataUrl(data: Float32Array, size: number): Promise<string> {
  return rgbPngDataUrl({ data: fromFloatHWC(data), width: size, height: size });
}

/**
 * Handlers for importing, listing and previewing datasets. The preview of an unaligned dataset is
 * an augmented A sample beside an augmented B sample, which are not pairs.
 */
export function datasetHandlers(db: Database.Database, projects: ProjectStore) {
  const view = (id: string): DatasetView => datasetView(db, getDataset(db, id));
  return {
    'datasets:import': async ({ projectId, root, mode, secondRoot, name }: Payloads['datasets:import']) => {
      projects.get(projectId);
      const report = await scanDataset(root, { mode, secondRoot, cropSize: PREVIEW_SIZE });
      return view(saveDataset(db, projectId, report, name ?? basename(report.root)));
    },
    'datasets:list': ({ projectId }: Payloads['datasets:list']): Results['datasets:list'] =>
      listDatasets(db, projectId).map((summary) => datasetView(db, summary)),
    'datasets:demo': async ({ projectId }: Payloads['datasets:demo']) => {
      projects.get(projectId);
      const root = join(projects.folderOf(projectId), 'demo-outlines-to-shapes');
      await writeDemoDataset(root, { count: 200, size: 128, seed: 1 });
      const report = await scanDataset(root, { mode: 'aligned', cropSize: PREVIEW_SIZE });
      return view(saveDataset(db, projectId, report, 'Demo: outlines → filled shapes'));
    },
    'datasets:preview': async ({
      datasetId,
      derive,
      count,
      seed,
      crop,
    }: Payloads['datasets:preview']): Promise<PreviewPair[]> => {
      const { report, mode } = getDataset(db, datasetId);
      if (crop === 'square') {
        return squareCropPreview(report, { count: count ?? 4, seed: seed ?? 0, size: PREVIEW_SIZE });
      }
      const common = { split: 'train', cropSize: PREVIEW_SIZE, seed: seed ?? 0, prefetch: 2 } as const;
      const loader =
        mode === 'unaligned'
          ? new UnpairedLoader(report, common)
          : new PairLoader(report, {
              ...common,
              derive: derive ?? (mode === 'single' ? 'gray2color' : undefined),
            });
      try {
        const pairs: PreviewPair[] = [];
        for (let i = 0; i < (count ?? 4); i += 1) {
          const batch = await loader.next();
          pairs.push({
            a: await pngDataUrl(batch.a, PREVIEW_SIZE),
            b: await pngDataUrl(batch.b, PREVIEW_SIZE),
          });
        }
        return pairs;
      } finally {
        loader.close();
      }
    },
  };
}
