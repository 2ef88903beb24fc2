import type { HintedHeldOutMetrics } from '../../engine/training/held-out';

/** A hinted model's held-out figures in words: without hints, then with the seeded simulated hints. */
export function describeHinted(m: HintedHeldOutMetrics): string {
  const h = m.withHints;
  return (
    `without hints L1 ${m.l1.toFixed(4)} (copy-the-input ${m.baselineL1.toFixed(4)}), PSNR ${m.psnr.toFixed(2)} dB, SSIM ${m.ssim.toFixed(4)}; ` +
    `with seeded simulated hints (as in training) L1 ${h.l1.toFixed(4)}, PSNR ${h.psnr.toFixed(2)} dB, SSIM ${h.ssim.toFixed(4)}`
  );
}
