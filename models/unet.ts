import { GraphBuilder, type Graph } from './graph';

/** A normalisation choice for generators and discriminators. */
export type NormKind = 'batch' | 'instance' | 'none';

/** Options of the U-Net generator (Isola et al. 2017, the pix2pix reference's `unet_128` / `unet_256`). */
export interface UnetOptions {
  /** A power of two ≥ 32: 128 gives the reference's unet_128 (7 downsamplings), 256 its unet_256 (8). */
  size: number;
  inChannels: number;
  outChannels: number;
  ngf: number;
  norm: NormKind;
  dropout: boolean;
  /** Channels of a second input, `hints`, read beside the image (colour hints); none when 0 or absent. */
  hintChannels?: number;
}

/**
 * The U-Net generator as the reference builds it: nested skip blocks of conv(4, s2, p1) down and
 * transposed conv(4, s2, p1) up, LeakyReLU(0.2) going down, ReLU going up, dropout 0.5 in the
 * inner ngf×8 blocks, tanh out. Biases only where the norm does not cancel them.
 */
export function unetGenerator(o: UnetOptions): Graph {
  const numDowns = Math.log2(o.size);
  if (!Number.isInteger(numDowns) || numDowns < 5) {
    throw new Error(`The U-Net needs a size that is a power of two of at least 32, got ${o.size}.`);
  }
  const g = new GraphBuilder(`unet${o.size}`);
  const bias = o.norm !== 'batch';
  const ngf = o.ngf;

  interface Block {
    outer: number;
    inner: number;
    kind: 'outermost' | 'innermost' | 'middle';
    dropout: boolean;
  }
  const blocks: Block[] = [{ outer: o.outChannels, inner: ngf, kind: 'outermost', dropout: false }];
  blocks.push({ outer: ngf, inner: ngf * 2, kind: 'middle', dropout: false });
  blocks.push({ outer: ngf * 2, inner: ngf * 4, kind: 'middle', dropout: false });
  blocks.push({ outer: ngf * 4, inner: ngf * 8, kind: 'middle', dropout: false });
  for (let i = 0; i < numDowns - 5; i += 1) {
    blocks.push({ outer: ngf * 8, inner: ngf * 8, kind: 'middle', dropout: o.dropout });
  }
  blocks.push({ outer: ngf * 8, inner: ngf * 8, kind: 'innermost', dropout: false });

  const down = { kernel: 4, stride: 2, pad: 1 };
  const build = (level: number, x: string): string => {
    const block = blocks[level];
    if (!block) throw new Error(`no U-Net block ${level}`);
    if (block.kind === 'outermost') {
      const d = g.conv(x, block.inner, { ...down, bias });
      const inner = build(level + 1, d);
      return g.tanh(g.convTranspose(g.relu(inner), block.outer, { ...down, bias: true }));
    }
    const d = g.conv(g.leakyRelu(x), block.inner, { ...down, bias });
    if (block.kind === 'innermost') {
      const up = g.norm(g.convTranspose(g.relu(d), block.outer, { ...down, bias }), o.norm);
      return g.concat([x, up]);
    }
    const inner = build(level + 1, g.norm(d, o.norm));
    let up = g.norm(g.convTranspose(g.relu(inner), block.outer, { ...down, bias }), o.norm);
    if (block.dropout) up = g.dropout(up, 0.5);
    return g.concat([x, up]);
  };
  const image = g.input('input', o.inChannels);
  const input = o.hintChannels ? g.concat([image, g.input('hints', o.hintChannels)]) : image;
  return g.build(build(0, input));
}
