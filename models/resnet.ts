import { GraphBuilder, type Graph } from './graph';
import type { NormKind } from './unet';

/** Options of the ResNet generator (Johnson et al. 2016, as CycleGAN's reference uses it). */
export interface ResnetOptions {
  inChannels: number;
  outChannels: number;
  ngf: number;
  norm: NormKind;
  /** 6 for 128 px, 9 for 256 px in the reference. */
  blocks: number;
  dropout: boolean;
}

/** The sizes the ResNet generator maps onto themselves: multiples of 4 (two stride-2 steps), at least 16. */
export function resnetSizeError(size: number): string | undefined {
  if (!Number.isInteger(size) || size < 16 || size % 4 !== 0) {
    return `The ResNet generator needs a size that is a multiple of 4 and at least 16, got ${size}.`;
  }
  return undefined;
}

/**
 * The reference's `ResnetGenerator`: reflection pad 3 + conv 7×7, two stride-2 3×3 downsamplings,
 * `blocks` residual blocks (reflect pad 1, conv 3×3, norm, ReLU, [dropout 0.5], reflect pad 1,
 * conv 3×3, norm, plus the skip), two transposed 3×3 upsamplings with output padding 1, then
 * reflection pad 3 + conv 7×7 and tanh. Biases only where the norm does not cancel them.
 */
export function resnetGenerator(o: ResnetOptions): Graph {
  const g = new GraphBuilder(`resnet${o.blocks}`);
  const bias = o.norm !== 'batch';
  const block = (x: string): string => {
    let y = g.relu(
      g.norm(g.conv(g.pad(x, 1, 'reflect'), g.channelsOf(x), { kernel: 3, stride: 1, pad: 0, bias }), o.norm),
    );
    if (o.dropout) y = g.dropout(y, 0.5);
    y = g.norm(
      g.conv(g.pad(y, 1, 'reflect'), g.channelsOf(x), { kernel: 3, stride: 1, pad: 0, bias }),
      o.norm,
    );
    return g.add([x, y]);
  };
  let x = g.pad(g.input('input', o.inChannels), 3, 'reflect');
  x = g.relu(g.norm(g.conv(x, o.ngf, { kernel: 7, stride: 1, pad: 0, bias }), o.norm));
  for (const mult of [1, 2]) {
    x = g.relu(g.norm(g.conv(x, o.ngf * mult * 2, { kernel: 3, stride: 2, pad: 1, bias }), o.norm));
  }
  for (let i = 0; i < o.blocks; i += 1) x = block(x);
  for (const mult of [4, 2]) {
    const up = g.convTranspose(x, (o.ngf * mult) / 2, {
      kernel: 3,
      stride: 2,
      pad: 1,
      outputPadding: 1,
      bias,
    });
    x = g.relu(g.norm(up, o.norm));
  }
  x = g.conv(g.pad(x, 3, 'reflect'), o.outChannels, { kernel: 7, stride: 1, pad: 0, bias: true });
  return g.build(g.tanh(x));
}
