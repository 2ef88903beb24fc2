import type { TrainConfig } from '../training/run-config';

/** The metadata key an export carries when its training inputs were derived from photos. */
export const DERIVED_INPUT_KEY = 'derived_input';

/**
 * What an export records of how its training inputs were made: the derivation (`gray2color`,
 * `edges2photo`) of a pix2pix trained on a single folder of photos, when its generator maps the
 * derived image to the photo. Nothing otherwise.
 */
export function derivedInputMetadata(config: TrainConfig, direction: string): Record<string, string> {
  const derive = config.data.derive;
  if (config.model !== 'pix2pix' || direction !== 'AtoB') return {};
  if (derive !== 'gray2color' && derive !== 'edges2photo') return {};
  return { [DERIVED_INPUT_KEY]: derive };
}

/** Whether a model learned to colorize gray versions of photos, so a colour photo is made gray first. */
export function colorizesGray(metadata: Record<string, string>): boolean {
  return metadata[DERIVED_INPUT_KEY] === 'gray2color';
}
