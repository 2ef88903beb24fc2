import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { emitOnnx } from '../../../models/onnx/emit-onnx';
import { describeOnnx } from '../../../models/onnx/onnx-proto';
import { writeFileAtomic } from '../atomic-file';
import { StudioError } from '../errors';
import { checkRuns, describeInfo, openModelSession } from '../inference/describe-model';
import { derivedInputMetadata } from '../inference/derived-input';
import type { ExportJob, ExportOutcome } from '../inference/model-jobs';
import { selectBackend } from '../training/tf-backend';
import { APP_VERSION } from '../version';
import { readCheckpointGenerators, type CheckpointGenerator } from './checkpoint-generators';
import { checkParity, PARITY_TOLERANCE } from './parity';

/** Reports an export's stage and how far along it is. */
export type ExportProgress = (stage: string, done: number, total: number) => void;

/** The run folder of a checkpoint (`<runDir>/checkpoints/step-….gsck`). */
function runDirOf(checkpoint: string): string {
  return dirname(dirname(checkpoint));
}

function datasetHashOf(checkpoint: string): string {
  const report = join(runDirOf(checkpoint), 'dataset.json');
  return existsSync(report) ? createHash('sha256').update(readFileSync(report)).digest('hex') : '';
}

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
 * Exports a checkpoint's generator to ONNX. The model is emitted from the same architecture
 * description the trainer ran, loaded in ONNX Runtime, and checked: the fixed parity inputs go
 * through tfjs and ONNX Runtime, and if their outputs differ by more than the tolerance the
 * export is refused with the figure and nothing is written. Otherwise the file is written
 * atomically with the figure in its metadata, and its latency is measured.
 */
export async function exportCheckpoint(
  job: ExportJob,
  progress: ExportProgress = () => undefined,
): Promise<ExportOutcome> {
  const total = 5;
  progress('reading the checkpoint', 0, total);
  const contents = readCheckpointGenerators(job.checkpoint);
  const generator = pickGenerator(contents.generators, job.direction, job.checkpoint);
  const size = { height: generator.size, width: generator.size };
  const metadata: Record<string, string> = {
    model_kind: generator.kind,
    direction: generator.direction,
    input_size: `${size.height}x${size.width}`,
    value_range: '-1,1',
    in_channels: String(generator.inChannels),
    out_channels: String(generator.outChannels),
    input_names: generator.graph.inputs.join(','),
    run_id: job.runId ?? basename(runDirOf(job.checkpoint)),
    checkpoint_step: String(contents.step),
    dataset_sha256: job.datasetHash ?? datasetHashOf(job.checkpoint),
    architecture: generator.graph.name,
    norm: contents.config.norm,
    ngf: String(contents.config.ngf),
  };
  if (generator.graph.inputs.includes('mask')) metadata.mask_input = 'mask';
  if (generator.graph.inputs.includes('hints')) metadata.hint_input = 'hints';
  Object.assign(metadata, derivedInputMetadata(contents.config, generator.direction));
  if (contents.config.model === 'inpaint') metadata.mask_design = JSON.stringify(contents.config.maskDesign);
  progress('emitting ONNX', 1, total);
  const draft = emitOnnx(generator.graph, generator.weights, {
    ...size,
    metadata,
    producerVersion: APP_VERSION,
  });
  progress('loading in ONNX Runtime', 2, total);
  const { session, provider } = await openModelSession(job.out, draft);
  try {
    const described = describeInfo(job.out, describeOnnx(draft), provider);
    progress('checking parity with tfjs', 3, total);
    await selectBackend('auto');
    const { maxAbs } = await checkParity(generator.graph, generator.weights, session, size);
    const tolerance = job.tolerance ?? PARITY_TOLERANCE;
    if (!(maxAbs <= tolerance)) {
      throw new StudioError(
        'parity',
        `Export refused: tfjs and ONNX Runtime (${provider}) disagree by up to ${maxAbs.toExponential(2)} on the fixed inputs, more than the ${tolerance.toExponential(0)} allowed. Nothing was written.`,
      );
    }
    metadata.parity_max_abs = maxAbs.toExponential(3);
    const bytes = emitOnnx(generator.graph, generator.weights, {
      ...size,
      metadata,
      producerVersion: APP_VERSION,
    });
    progress('measuring latency', 4, total);
    const description = await checkRuns(job.out, session, { ...described, metadata }, true);
    const written = writeFileAtomic(job.out, [bytes]);
    progress('done', total, total);
    return { path: job.out, bytes: written.bytes, sha256: written.sha256, parityMaxAbs: maxAbs, description };
  } finally {
    await session.release();
  }
}
