import type { ModelView } from '../../../preload/contract';

/** What the Canvas panel does with the picked model: fill painted holes, translate a drawing, or edit latent codes. */
export type CanvasMode = 'fill' | 'translate' | 'latent';

/** The mode a model belongs to: latent generators are edited, models with a mask input fill holes, the others translate. */
export function modeFor(model: Pick<ModelView, 'needsMask' | 'kind'>): CanvasMode {
  if (model.kind === 'latent') return 'latent';
  return model.needsMask ? 'fill' : 'translate';
}

/** The name of each mode as its button shows it. */
export const MODE_LABELS: Record<CanvasMode, string> = {
  fill: 'Fill holes',
  translate: 'Translate',
  latent: 'Latent',
};

/** How the translation canvas sends its drawing to a model: in colour (3 channels) or gray (1). */
export type DrawingChannels = 'rgb' | 'gray';

/** What a model reads from the canvas in `mode`: the drawing's channels, or why it cannot be used there. */
export type ModeFit =
  | { fits: true; channels: DrawingChannels; note: string | null }
  | { fits: false; reason: string; belongs: CanvasMode | null };

/** Whether `model` can be used in `mode`, and if not, why and which mode fits it. */
export function modeFit(
  model: Pick<ModelView, 'name' | 'kind' | 'needsMask' | 'inChannels'>,
  mode: CanvasMode,
): ModeFit {
  if (model.kind === 'latent') {
    if (mode === 'latent') return { fits: true, channels: 'rgb', note: null };
    return {
      fits: false,
      reason: `${model.name} makes images from a latent code, not from a picture. Use it in Latent mode.`,
      belongs: 'latent',
    };
  }
  if (mode === 'latent') {
    return {
      fits: false,
      reason: `${model.name} is a ${model.kind} model: it turns pictures into pictures. Latent mode edits latent generators (export a run of the latent model).`,
      belongs: modeFor(model),
    };
  }
  if (mode === 'fill') {
    if (model.needsMask) return { fits: true, channels: 'rgb', note: null };
    return {
      fits: false,
      reason: `${model.name} has no mask input: it translates whole images. Use it in Translate mode.`,
      belongs: 'translate',
    };
  }
  if (model.needsMask) {
    return {
      fits: false,
      reason: `${model.name} takes an image and a mask: it fills holes. Use it in Fill holes mode.`,
      belongs: 'fill',
    };
  }
  if (model.inChannels === 1) {
    return {
      fits: true,
      channels: 'gray',
      note: `${model.name} reads one channel: the canvas sends your drawing in gray.`,
    };
  }
  if (model.inChannels === 3) return { fits: true, channels: 'rgb', note: null };
  return {
    fits: false,
    reason: `${model.name} reads ${model.inChannels} channels; the canvas draws in colour (3 channels) or gray (1 channel).`,
    belongs: null,
  };
}
