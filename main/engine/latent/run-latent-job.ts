import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { fitConstraints } from '../../../models/latent-constraints';
import { ganspaceDirections } from '../../../models/latent-directions';
import { projectImage } from '../../../models/latent-projection';
import { sampleCodes } from '../../../models/latent';
import { StudioError } from '../errors';
import type { LatentJob, LatentResults } from '../inference/model-jobs';
import type { LoadedModel, SessionCache } from '../inference/session-cache';
import { openLatentBundle, type LatentBundle } from './latent-bundle';
import {
  nchwToNhwc,
  pngDataUrls,
  readCentreSquare,
  readConstraintLayer,
  type ConstraintLayer,
} from './latent-images';

/** Codes sampled for the principal directions: several times nz 100, which settles the first few components. */
const DIRECTION_SAMPLES = 1024;
/** Images scored by the critic per batch. */
const RANK_BATCH = 16;

/** Codes drawn from the prior N(0, I), seeded, as plain numbers. */
function priorCodes(count: number, nz: number, seed: number): number[][] {
  const flat = tf.tidy(() => sampleCodes(count, nz, seed).dataSync());
  return Array.from({ length: count }, (_, i) => Array.from(flat.subarray(i * nz, (i + 1) * nz)));
}

/** The generator's images for codes, run in ONNX Runtime, as PNG data URLs. */
async function generate(generator: LoadedModel, bundle: LatentBundle, codes: number[][]): Promise<string[]> {
  const flat = Float32Array.from(codes.flat());
  const input = new ort.Tensor('float32', flat, [codes.length, bundle.nz, 1, 1]);
  const results = await generator.session.run({ [generator.description.imageInput]: input });
  const output = results[generator.description.output];
  if (!output) throw new StudioError('internal', 'The generator gave no output.');
  const nhwc = nchwToNhwc(output.data as Float32Array, codes.length, 3, bundle.size);
  return pngDataUrls(nhwc, codes.length, bundle.size);
}

function needGan(bundle: LatentBundle): NonNullable<LatentBundle['gan']> {
  if (!bundle.gan)
    throw new StudioError('bad-input', bundle.notes[0] ?? 'This generator has no training weights.');
  return bundle.gan;
}

/** Fits codes to the painted layers (at the model's size) from the job's start code; best first. */
function fitCandidates(
  gan: NonNullable<LatentBundle['gan']>,
  bundle: LatentBundle,
  job: Extract<LatentJob, { op: 'constrain' }>,
  color: ConstraintLayer | undefined,
  sketch: ConstraintLayer | undefined,
): { code: number[]; loss: number }[] {
  const size = bundle.size;
  return tf.tidy(() => {
    const start = tf.tensor4d(Float32Array.from(job.code), [1, 1, 1, bundle.nz]);
    const mask = (layer: ConstraintLayer): tf.Tensor4D => tf.tensor4d(layer.weight, [1, size, size, 1]);
    const constraints = {
      ...(color ? { color: { target: tf.tensor4d(color.rgb, [1, size, size, 3]), mask: mask(color) } } : {}),
      ...(sketch ? { sketch: { mask: mask(sketch) } } : {}),
    };
    const found = fitConstraints(gan, start, constraints, { starts: job.starts, steps: job.steps, seed: 7 });
    return found.map((c) => ({ code: Array.from(c.code.dataSync()), loss: c.loss }));
  });
}

/** Runs one latent editor job in the model worker. */
export async function runLatentJob(
  job: LatentJob,
  cache: SessionCache,
): Promise<LatentResults[LatentJob['op']]> {
  const { bundle, generator } = await openLatentBundle(job.model, cache);
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  switch (job.op) {
    case 'open': {
      const found =
        bundle.gan && job.directions > 0
          ? ganspaceDirections(bundle.gan, {
              components: job.directions,
              samples: DIRECTION_SAMPLES,
              seed: 1,
            })
          : null;
      const principal = (found?.directions ?? []).map((vector, i) => ({
        vector,
        spread: found?.spread[i] ?? 1,
        explained: found?.explainedVarianceRatio[i] ?? 0,
      }));
      const notes = [...bundle.notes];
      if (principal.length > 0)
        notes.push(
          `${principal.length} principal directions from the early features of ${DIRECTION_SAMPLES} sampled codes.`,
        );
      return {
        size: bundle.size,
        nz: bundle.nz,
        canEdit: bundle.gan !== null,
        principal,
        notes,
      } satisfies LatentResults['open'];
    }
    case 'sample':
      return {
        images: await generate(generator, bundle, job.codes),
        ms: elapsed(),
      } satisfies LatentResults['sample'];
    case 'random': {
      const codes = priorCodes(job.count, bundle.nz, job.seed);
      const images = await generate(generator, bundle, codes);
      return {
        samples: codes.map((code, i) => ({ code, dataUrl: images[i] ?? '' })),
        ms: elapsed(),
      } satisfies LatentResults['random'];
    }
    case 'project': {
      const gan = needGan(bundle);
      const { pixels, notes } = await readCentreSquare(job.image, bundle.size);
      const target = tf.tensor4d(pixels, [1, bundle.size, bundle.size, 3]);
      try {
        const result = projectImage(gan, target, { steps: job.steps });
        const encoderCode = Array.from(result.encoded.dataSync());
        const refinedCode = Array.from(result.refined.dataSync());
        tf.dispose([result.encoded, result.refined, result.reconstruction]);
        const [encoderImage, refinedImage] = await generate(generator, bundle, [encoderCode, refinedCode]);
        const [targetUrl] = await pngDataUrls(pixels, 1, bundle.size);
        return {
          target: targetUrl ?? '',
          encoder: { code: encoderCode, dataUrl: encoderImage ?? '', error: result.encodedError },
          refined: { code: refinedCode, dataUrl: refinedImage ?? '', error: result.refinedError },
          errors: result.errors,
          ms: elapsed(),
          notes,
        } satisfies LatentResults['project'];
      } finally {
        target.dispose();
      }
    }
    case 'constrain': {
      const gan = needGan(bundle);
      const color = job.color
        ? await readConstraintLayer(job.color, bundle.size, 'colour strokes')
        : undefined;
      const sketch = job.sketch
        ? await readConstraintLayer(job.sketch, bundle.size, 'sketch strokes')
        : undefined;
      const fitted = fitCandidates(gan, bundle, job, color, sketch);
      const images = await generate(
        generator,
        bundle,
        fitted.map((c) => c.code),
      );
      return {
        candidates: fitted.map((c, i) => ({ ...c, dataUrl: images[i] ?? '' })),
        ms: elapsed(),
        notes: [],
      } satisfies LatentResults['constrain'];
    }
    case 'rank': {
      const gan = needGan(bundle);
      const scores: { path: string; score: number }[] = [];
      const failures: { path: string; message: string }[] = [];
      for (let i = 0; i < job.images.length; i += RANK_BATCH) {
        const batch: { path: string; pixels: Float32Array }[] = [];
        for (const path of job.images.slice(i, i + RANK_BATCH)) {
          try {
            batch.push({ path, pixels: (await readCentreSquare(path, bundle.size)).pixels });
          } catch (error) {
            failures.push({ path, message: (error as Error).message });
          }
        }
        if (batch.length === 0) continue;
        const values = tf.tidy(() => {
          const data = new Float32Array(batch.length * bundle.size * bundle.size * 3);
          batch.forEach((b, j) => data.set(b.pixels, j * b.pixels.length));
          return gan.score(tf.tensor4d(data, [batch.length, bundle.size, bundle.size, 3])).dataSync();
        });
        batch.forEach((b, j) => scores.push({ path: b.path, score: values[j] ?? NaN }));
      }
      return { scores, failures } satisfies LatentResults['rank'];
    }
  }
}
