import { benchInfer, benchInferVersus, type InferBenchLine } from '../../engine/bench/infer-bench';
import { benchTrain } from '../../engine/bench/train-bench';
import type { BACKEND_CHOICES } from '../../engine/training/run-config';
import { LATENT_DEFAULTS, latentSizeError } from '../../../models/latent';
import type { NormKind } from '../../../models/unet';
import type { Output } from '../output';
import { UsageError } from '../output';

const USAGE =
  'Usage: ganstudio bench train [--model pix2pix|cyclegan|inpaint|latent] [--size 128] [--steps 3] | ' +
  'bench infer [--model pix2pix|cyclegan] [--size 128] [--steps 20] [--onnx <file> | --vs <file>] [--unsplit]';

/** `ganstudio bench train|infer`: prints lines shaped like the PyTorch peer's. */
export async function bench(
  what: string | undefined,
  options: {
    model: string;
    size: number;
    /** Timed steps; 3 for train, 20 for infer unless given. */
    steps?: number;
    ngf: number;
    backend: (typeof BACKEND_CHOICES)[number];
    onnx?: string;
    /** An ONNX file to time alternately with our export, in the same process. */
    vs?: string;
    threads?: number;
    norm?: NormKind;
    /** Time the graphs without splitting their transposed convolutions. */
    unsplit?: boolean;
  },
  out: Output,
): Promise<void> {
  if (what === 'infer') return benchInferCommand(options, out);
  if (what !== 'train') throw new UsageError(USAGE);
  const model = options.model;
  if (model !== 'pix2pix' && model !== 'cyclegan' && model !== 'inpaint' && model !== 'latent')
    throw new UsageError(`--model must be pix2pix, cyclegan, inpaint or latent, got "${model}".`);
  const latentSize = model === 'latent' ? latentSizeError(options.size) : undefined;
  if (latentSize) throw new UsageError(latentSize);
  if (options.model === 'inpaint' && options.size % 8 !== 0)
    throw new UsageError(
      `The inpainting generator needs a --size that is a multiple of 8, got ${options.size}.`,
    );
  const line = await benchTrain({
    model,
    size: options.size,
    // A latent GAN updates its generator every 5th step: time whole cycles.
    steps: options.steps ?? (model === 'latent' ? LATENT_DEFAULTS.nCritic : 3),
    ngf: options.ngf,
    backend: options.backend,
  });
  out.result(
    line,
    `${line.case} on ${line.backend}: ${line.train_step_s} s/step (${line.train_img_per_s} img/s), inference ${line.infer_ms} ms, peak RSS ${line.peak_rss_mb} MB`,
  );
}

async function benchInferCommand(options: Parameters<typeof bench>[1], out: Output): Promise<void> {
  const model = options.model;
  if (model !== 'pix2pix' && model !== 'cyclegan')
    throw new UsageError(`--model must be pix2pix or cyclegan, got "${model}".`);
  if (model === 'pix2pix' && !options.onnx && !Number.isInteger(Math.log2(options.size)))
    throw new UsageError(`The pix2pix U-Net needs a power-of-two --size, got ${options.size}.`);
  if (model === 'cyclegan' && !options.onnx && options.size % 4 !== 0)
    throw new UsageError(`The CycleGAN ResNet needs a --size that is a multiple of 4, got ${options.size}.`);
  if (options.onnx && options.vs) throw new UsageError('Give either --onnx or --vs, not both.');
  const request = {
    model,
    size: options.size,
    steps: options.steps ?? 20,
    ngf: options.ngf,
    onnx: options.onnx,
    threads: options.threads,
    norm: options.norm,
    unsplit: options.unsplit,
  } as const;
  if (!options.vs) {
    const line = await benchInfer(request);
    out.result(line, describe(line));
    return;
  }
  const [ours, other] = await benchInferVersus(request, options.vs);
  if (!ours || !other) throw new Error('nothing was timed');
  out.event({ ...ours }, describe(ours));
  out.result(
    other,
    `${describe(other)}\nours / ${other.graph}: ${(ours.infer_ms / other.infer_ms).toFixed(2)}× the latency (medians, runs alternated)`,
  );
}

function describe(line: InferBenchLine): string {
  return (
    `${line.case} (${line.graph}) in ${line.runtime} on ${line.provider}, ${line.threads} thread${line.threads === 1 ? '' : 's'}: ` +
    `${line.infer_ms} ms/image median, ${line.min_ms} ms best of ${line.steps}` +
    (line.split_deconvs > 0 ? ` (${line.split_deconvs} transposed convolutions split into phases)` : '')
  );
}
