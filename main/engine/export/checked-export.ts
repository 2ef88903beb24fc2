import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { emitOnnx } from '../../../models/onnx/emit-onnx';
import { describeOnnx } from '../../../models/onnx/onnx-proto';
import { StudioError } from '../errors';
import {
  checkRuns,
  describeInfo,
  describeLatentEncoder,
  openModelSession,
} from '../inference/describe-model';
import type { ExportJob, ModelDescription } from '../inference/model-jobs';
import { selectBackend } from '../training/tf-backend';
import { APP_VERSION } from '../version';
import type { CheckpointContents, CheckpointGenerator } from './checkpoint-generators';
import { checkParity } from './parity';

/** Reports an export's stage and how far along it is. */
export type ExportProgress = (stage: string, done: number, total: number) => void;

/** The run folder of a checkpoint (`<runDir>/checkpoints/step-….gsck`). */
export function runDirOf(checkpoint: string): string {
  return dirname(dirname(checkpoint));
}

/** sha256 of the run's dataset report beside a checkpoint, or '' when it has none. */
export function datasetHashOf(checkpoint: string): string {
  const report = join(runDirOf(checkpoint), 'dataset.json');
  return existsSync(report) ? createHash('sha256').update(readFileSync(report)).digest('hex') : '';
}

/** A generator emitted, loaded in ONNX Runtime and checked, but not yet written. */
export interface CheckedExport {
  bytes: Uint8Array;
  maxAbs: number;
  description: ModelDescription;
}

/**
 * Emits a generator with its metadata, loads it in ONNX Runtime, and checks it: the fixed parity
 * inputs go through tfjs and ONNX Runtime, and if their outputs differ by more than the
 * tolerance the export is refused with the figure. Returns the final bytes (the figure in
 * their metadata) and the model's description with its latency; writes nothing.
 */
export async function checkedExport(
  file: string,
  generator: CheckpointGenerator,
  metadata: Record<string, string>,
  tolerance: number,
  progress: (stage: string) => void,
): Promise<CheckedExport> {
  const size = { height: generator.size, width: generator.size };
  const emit = (meta: Record<string, string>): Uint8Array =>
    emitOnnx(generator.graph, generator.weights, {
      ...size,
      metadata: meta,
      producerVersion: APP_VERSION,
      ...(generator.inputSizes ? { inputSizes: generator.inputSizes } : {}),
      ...(generator.outputSize ? { outputSize: generator.outputSize } : {}),
      ...(generator.outputName ? { outputName: generator.outputName } : {}),
    });
  progress('emitting ONNX');
  const draft = emit(metadata);
  progress('loading in ONNX Runtime');
  // The parity check is of the file as written, which other runtimes run as it is.
  const { session, provider } = await openModelSession(file, draft, undefined, { unsplit: true });
  try {
    const describe = generator.kind === 'latent-encoder' ? describeLatentEncoder : describeInfo;
    const described = describe(file, describeOnnx(draft), provider);
    progress('checking parity with tfjs');
    await selectBackend('auto');
    const { maxAbs } = await checkParity(
      generator.graph,
      generator.weights,
      session,
      size,
      generator.inputSizes,
    );
    if (!(maxAbs <= tolerance)) {
      throw new StudioError(
        'parity',
        `Export refused: tfjs and ONNX Runtime (${provider}) disagree by up to ${maxAbs.toExponential(2)} on the fixed inputs of ${basename(file)}, more than the ${tolerance.toExponential(0)} allowed. Nothing was written.`,
      );
    }
    const checked = { ...metadata, parity_max_abs: maxAbs.toExponential(3) };
    const bytes = emit(checked);
    progress('measuring latency');
    const description = await checkRuns(file, session, { ...described, metadata: checked }, true);
    return { bytes, maxAbs, description };
  } finally {
    await session.release();
  }
}

/** The metadata every exported generator carries: what it reads and writes, and where it came from. */
export function exportMetadata(
  job: ExportJob,
  contents: CheckpointContents,
  generator: CheckpointGenerator,
): Record<string, string> {
  return {
    model_kind: generator.kind,
    direction: generator.direction,
    input_size: `${generator.size}x${generator.size}`,
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
}
