// `node --import tsx scripts/bench-latent-edit.ts`: the time of one iGAN constraint update
// (colour and sketch strokes together, the costlier case) at 64 px with the default LatentGan on
// the wasm backend, for several starts × steps, as JSON lines. Each line also says how much of
// the loss a long search (one start, BENCH_REFERENCE_STEPS at learning rate 0.05) removes that
// this search already removes. The model is untrained, its last layer scaled to full contrast;
// timings do not depend on the weights. Wall time is what a person waits; CPU time is steadier
// on a loaded machine (the wasm backend runs one thread in Node).
// Env: BENCH_CASES ("4x12,8x8": starts×steps; the defaults'), BENCH_REPEATS (3),
// BENCH_REFERENCE_STEPS (100), BENCH_LR (the default learning rate).
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../main/engine/training/tf-backend';
import { LATENT_DEFAULTS, LatentGan, sampleCodes } from '../models/latent';
import { CONSTRAINT_DEFAULTS, fitConstraints, type Constraints } from '../models/latent-constraints';

const cases = (process.env.BENCH_CASES ?? `${CONSTRAINT_DEFAULTS.starts}x${CONSTRAINT_DEFAULTS.steps}`)
  .split(',')
  .map((c) => c.split('x').map(Number) as [number, number]);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const referenceSteps = Number(process.env.BENCH_REFERENCE_STEPS ?? 100);
const learningRate = Number(process.env.BENCH_LR ?? CONSTRAINT_DEFAULTS.learningRate);

const backend = await selectBackend('wasm');
const { size, nz } = LATENT_DEFAULTS;
const model = new LatentGan(LATENT_DEFAULTS, 1, 'bench');
const last = model.generator.nodes.filter((node) => node.op === 'convTranspose').at(-1);
const weight = model.G.get(`${last?.id}.weight`);
if (!weight) throw new Error('the generator has no last layer');
tf.tidy(() => weight.assign(tf.mul(weight, 6)));

const stroke = (from: number, to: number): tf.Tensor4D =>
  tf.tidy(() =>
    tf.pad(tf.ones([1, to - from, to - from, 1]), [
      [0, 0],
      [from, size - to],
      [from, size - to],
      [0, 0],
    ]),
  ) as tf.Tensor4D;
const colorMask = stroke(16, 28);
const sketchMask = tf.tidy(() => tf.sub(stroke(30, 54), stroke(31, 53))) as tf.Tensor4D;
const target = tf.tidy(() =>
  tf.mul(tf.ones([1, size, size, 3]), tf.tensor1d([0.9, -0.6, -0.6])),
) as tf.Tensor4D;
const constraints: Constraints = { color: { target, mask: colorMask }, sketch: { mask: sketchMask } };
const start = sampleCodes(1, nz, 5);

/** The best candidate's loss and its loss before any step, for a search of starts × steps. */
function search(
  starts: number,
  steps: number,
  rate = learningRate,
): { best: number; initial: number; ms: number; cpuMs: number } {
  let initial = NaN;
  const cpu = process.cpuUsage();
  const begin = performance.now();
  const candidates = fitConstraints(model, start, constraints, {
    starts,
    steps,
    learningRate: rate,
    onStep: (step, losses) => {
      if (step === 0) initial = losses[0] ?? NaN;
    },
  });
  const ms = performance.now() - begin;
  const used = process.cpuUsage(cpu);
  const best = candidates[0]?.loss ?? NaN;
  tf.dispose(candidates.flatMap((c) => [c.code, c.image]));
  return { best, initial, ms, cpuMs: (used.user + used.system) / 1000 };
}

const reference = search(1, referenceSteps, 0.05);
for (const [starts, steps] of cases) {
  search(starts, steps);
  const runs = Array.from({ length: repeats }, () => search(starts, steps));
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(repeats / 2)] ?? NaN;
  const ms = median(runs.map((r) => r.ms));
  const { best, initial } = runs[0] ?? { best: NaN, initial: NaN };
  console.log(
    JSON.stringify({
      case: `latent-constraint-${size}px-ngf${LATENT_DEFAULTS.ngf}-nz${nz}`,
      starts,
      steps,
      learning_rate: learningRate,
      ms_per_update: Math.round(ms),
      ms_per_step: Math.round((ms / Math.max(steps, 1)) * 10) / 10,
      cpu_ms_per_update: Math.round(median(runs.map((r) => r.cpuMs))),
      loss_start: Math.round(initial * 1e4) / 1e4,
      loss_best: Math.round(best * 1e4) / 1e4,
      share_of_reference_gain: Math.round(((initial - best) / (initial - reference.best)) * 100) / 100,
      reference_steps: referenceSteps,
      backend: backend.detail,
      cores: availableParallelism(),
    }),
  );
}
tf.dispose([colorMask, sketchMask, target, start]);
model.dispose();
