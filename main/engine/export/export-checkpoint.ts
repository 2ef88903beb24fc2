import { basename } from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import { StudioError } from '../errors';
import { derivedInputMetadata } from '../inference/derived-input';
import type { ExportJob, ExportOutcome } from '../inference/model-jobs';
import { checkedExport, exportMetadata, type ExportProgress } from './checked-export';
import { readCheckpointGenerators, type CheckpointGenerator } from './checkpoint-generators';
import { exportLatentBundle } from './export-latent';
import { PARITY_TOLERANCE } from './parity';

export type { ExportProgress };

function pickGenerator(
  generators: CheckpointGenerator[],
  direction: string | undefined,
  file: string,
): CheckpointGenerator {
  const generator = direction ? generators.find((g) => g.direction === direction) : generators[0];
  if (!generator) {
    throw new StudioError(
      'bad-input',
      `${basename(file)} has no ${direction} generator; it has ${generators.map((g) => g.direction).join(', ')}.`,
    );
  }
  return generator;
}

/**
 * Exports a checkpoint's generator to ONNX through the parity gate (`checkedExport`): a refused
 * export writes nothing; otherwise the file is written atomically with the figure in its
 * metadata. A latent GAN's checkpoint exports as a bundle (`exportLatentBundle`).
 */
export async function exportCheckpoint(
  job: ExportJob,
  progress: ExportProgress = () => undefined,
): Promise<ExportOutcome> {
  progress('reading the checkpoint', 0, 5);
  const contents = readCheckpointGenerators(job.checkpoint);
  if (contents.config.model === 'latent') return exportLatentBundle(job, contents, progress);
  const generator = pickGenerator(contents.generators, job.direction, job.checkpoint);
  const metadata = exportMetadata(job, contents, generator);
  if (generator.graph.inputs.includes('mask')) metadata.mask_input = 'mask';
  if (generator.graph.inputs.includes('hints')) metadata.hint_input = 'hints';
  Object.assign(metadata, derivedInputMetadata(contents.config, generator.direction));
  if (contents.config.model === 'inpaint') metadata.mask_design = JSON.stringify(contents.config.maskDesign);
  const stages = [
    'emitting ONNX',
    'loading in ONNX Runtime',
    'checking parity with tfjs',
    'measuring latency',
  ];
  const checked = await checkedExport(
    job.out,
    generator,
    metadata,
    job.tolerance ?? PARITY_TOLERANCE,
    (stage) => progress(stage, stages.indexOf(stage) + 1, 5),
  );
  const written = writeFileAtomic(job.out, [checked.bytes]);
  progress('done', 5, 5);
  return {
    path: job.out,
    bytes: written.bytes,
    sha256: written.sha256,
    parityMaxAbs: checked.maxAbs,
    description: checked.description,
  };
}
