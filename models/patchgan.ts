import { GraphBuilder, type Graph } from './graph';
import type { NormKind } from './unet';

/** Options of the PatchGAN discriminator. */
export interface PatchGanOptions {
  inChannels: number;
  ndf: number;
  /** 3 gives the 70×70 PatchGAN of pix2pix. */
  nLayers: number;
  norm: NormKind;
}

/**
 * The N-layer PatchGAN (Isola et al. 2017): conv(4, s2) blocks doubling the width up to ndf×8,
 * one conv(4, s1) block, then a conv(4, s1) to one logit per patch.
 */
export function patchGan(o: PatchGanOptions): Graph {
  const g = new GraphBuilder(`patchgan${o.nLayers}`);
  const bias = o.norm !== 'batch';
  let x = g.leakyRelu(
    g.conv(g.input('input', o.inChannels), o.ndf, { kernel: 4, stride: 2, pad: 1, bias: true }),
  );
  let mult = 1;
  for (let n = 1; n < o.nLayers; n += 1) {
    mult = Math.min(2 ** n, 8);
    x = g.leakyRelu(g.norm(g.conv(x, o.ndf * mult, { kernel: 4, stride: 2, pad: 1, bias }), o.norm));
  }
  mult = Math.min(2 ** o.nLayers, 8);
  x = g.leakyRelu(g.norm(g.conv(x, o.ndf * mult, { kernel: 4, stride: 1, pad: 1, bias }), o.norm));
  return g.build(g.conv(x, 1, { kernel: 4, stride: 1, pad: 1, bias: true }));
}
