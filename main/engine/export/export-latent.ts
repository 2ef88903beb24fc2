import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../atomic-file';
import { StudioError } from '../errors';
import type { ExportJob, ExportOutcome } from '../inference/model-jobs';
import { readCheckpoint, writeCheckpoint } from '../training/checkpoint-file';
import { latentWeights } from '../training/latent-training';
import { checkedExport, exportMetadata, type ExportProgress } from './checked-export';
import type { CheckpointContents, CheckpointGenerator } from './checkpoint-generators';
import { PARITY_TOLERANCE } from './parity';

/** The files of a latent bundle beside its generator `m.onnx`: `m.encoder.onnx` and `m.latent.gsck`. */
export function latentBundleFiles(generator: string): { encoder: string; weights: string } {
  const stem = basename(generator).replace(/\.onnx$/i, '');
  const dir = dirname(generator);
  return { encoder: join(dir, `${stem}.encoder.onnx`), weights: join(dir, `${stem}.latent.gsck`) };
}

function pick(contents: CheckpointContents, kind: string): CheckpointGenerator {
  const found = contents.generators.find((g) => g.kind === kind);
  if (!found) throw new StudioError('internal', `The latent checkpoint has no ${kind} graph.`);
  return found;
}

/**
 * Exports a latent GAN as the bundle the latent editor opens: the generator `m.onnx` (input `z`
 * [batch, nz, 1, 1], output `output` [batch, 3, s, s]; metadata model_kind `latent`, `nz`, and
 * the basenames `latent_encoder` and `latent_weights`), the encoder `m.encoder.onnx` (input
 * `input` [batch, 3, s, s], output `z` [batch, nz, 1, 1]; model_kind `latent-encoder`), and
 * `m.latent.gsck`: a checkpoint of the networks (G/, D/, E/, and sn/ with spectral norm) with the
 * run's configuration and no optimizer state, for the editor's gradient steps in tfjs. Both ONNX
 * files pass the parity gate before anything is written; the generator is written last.
 */
export async function exportLatentBundle(
  job: ExportJob,
  contents: CheckpointContents,
  progress: ExportProgress,
): Promise<ExportOutcome> {
  const total = 9;
  const files = latentBundleFiles(job.out);
  const generator = pick(contents, 'latent');
  const encoder = pick(contents, 'latent-encoder');
  const nz = String(contents.config.nz);
  const tolerance = job.tolerance ?? PARITY_TOLERANCE;
  const common = {
    ndf: String(contents.config.ndf),
    nz,
    spectral_norm: String(contents.config.spectralNorm),
  };
  const generatorMeta = {
    ...exportMetadata(job, contents, generator),
    ...common,
    latent_encoder: basename(files.encoder),
    latent_weights: basename(files.weights),
  };
  const encoderMeta = {
    ...exportMetadata(job, contents, encoder),
    ...common,
    latent_generator: basename(job.out),
    latent_weights: basename(files.weights),
  };
  let done = 1;
  const step = (what: string) => (stage: string) => progress(`${what}: ${stage}`, (done += 1), total);
  const checkedGenerator = await checkedExport(
    job.out,
    generator,
    generatorMeta,
    tolerance,
    step('generator'),
  );
  const checkedEncoder = await checkedExport(files.encoder, encoder, encoderMeta, tolerance, step('encoder'));
  progress('writing the bundle', total - 1, total);
  const { meta, tensors } = readCheckpoint(job.checkpoint);
  try {
    await writeCheckpoint(files.weights, latentWeights(tensors), {
      step: meta.step,
      config: meta.config,
      kind: 'latent',
      generator: basename(job.out),
      encoder: basename(files.encoder),
    });
    writeFileAtomic(files.encoder, [checkedEncoder.bytes]);
    const written = writeFileAtomic(job.out, [checkedGenerator.bytes]);
    progress('done', total, total);
    return {
      path: job.out,
      bytes: written.bytes,
      sha256: written.sha256,
      parityMaxAbs: Math.max(checkedGenerator.maxAbs, checkedEncoder.maxAbs),
      description: checkedGenerator.description,
      companions: [files.encoder, files.weights],
      encoderParityMaxAbs: checkedEncoder.maxAbs,
    };
  } catch (error) {
    for (const file of [files.weights, files.encoder]) rmSync(file, { force: true });
    throw error;
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
}
