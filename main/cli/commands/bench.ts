import { benchTrain } from '../../engine/bench/train-bench';
import type { BACKEND_CHOICES } from '../../engine/training/run-config';
import type { Output } from '../output';
import { UsageError } from '../output';

/** `ganstudio bench train|infer`: prints lines shaped like the PyTorch peer's. */
export async function bench(
  what: string | undefined,
  options: {
    model: string;
    size: number;
    steps: number;
    ngf: number;
    backend: (typeof BACKEND_CHOICES)[number];
  },
  out: Output,
): Promise<void> {
  if (what !== 'train') {
    throw new UsageError(
      what === 'infer'
        ? '"bench infer" needs the ONNX export, which is not in this build yet.'
        : 'Usage: ganstudio bench train [--model pix2pix] [--size 128] [--steps 3]',
    );
  }
  if (options.model !== 'pix2pix')
    throw new UsageError(`--model ${options.model} is not in this build yet; pix2pix is.`);
  const line = await benchTrain({
    model: 'pix2pix',
    size: options.size,
    steps: options.steps,
    ngf: options.ngf,
    backend: options.backend,
  });
  out.result(
    line,
    `${line.case} on ${line.backend}: ${line.train_step_s} s/step (${line.train_img_per_s} img/s), inference ${line.infer_ms} ms`,
  );
}
