import * as tf from '@tensorflow/tfjs';
import { LATENT_DEFAULTS, LatentGan } from './latent';

/**
 * Test support: a 16 px LatentGan (nz 16, ngf 8) whose generator draws with full contrast. Freshly
 * initialised weights (N(0, 0.02)) give images within a few hundredths of grey; scaling the last
 * layer's weights makes them span [-1, 1], as a trained generator's do, so that edits show.
 */
export function tinyLatentGan(seed: number, prefix: string): LatentGan {
  const model = new LatentGan({ ...LATENT_DEFAULTS, size: 16, nz: 16, ngf: 8, ndf: 4 }, seed, prefix);
  const last = model.generator.nodes.filter((node) => node.op === 'convTranspose').at(-1);
  const weight = model.G.get(`${last?.id}.weight`);
  if (!weight) throw new Error('the generator has no last layer weight');
  tf.tidy(() => weight.assign(tf.mul(weight, 6)));
  return model;
}
