import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_DESIGN } from '../../../models/masks';
import {
  DEFAULT_FORM,
  MODEL_DEFAULTS,
  MODEL_GANS,
  MODEL_SIZES,
  modelMismatch,
  settingsFromForm,
  withModel,
} from './train-state.svelte';

describe('the train form', () => {
  it('offers inpainting on every kind of dataset', () => {
    for (const mode of ['aligned', 'paired', 'single', 'unaligned', undefined]) {
      expect(modelMismatch('inpaint', mode)).toBeNull();
    }
    expect(modelMismatch('pix2pix', 'unaligned')).not.toBeNull();
    expect(modelMismatch('cyclegan', 'aligned')).not.toBeNull();
  });

  it('switches to inpainting with its sizes, hinge loss, no norm and 32 filters', () => {
    expect(MODEL_SIZES.inpaint).toEqual([64, 128, 256]);
    expect(MODEL_GANS.inpaint).toEqual(['hinge']);
    const form = withModel({ ...DEFAULT_FORM, size: 32 }, 'inpaint');
    expect(form).toMatchObject({ model: 'inpaint', size: 128, gan: 'hinge', norm: 'none', ngf: 32 });
    expect(withModel({ ...DEFAULT_FORM, size: 64 }, 'inpaint').size).toBe(64);
    expect(withModel(form, 'pix2pix')).toMatchObject(MODEL_DEFAULTS.pix2pix);
  });

  it('sends the mask design and norm none for inpainting, and no derived inputs', () => {
    const form = withModel({ ...DEFAULT_FORM, datasetId: 'd1' }, 'inpaint');
    const design = { ...DEFAULT_MASK_DESIGN, strokes: [2, 3] as [number, number] };
    const settings = settingsFromForm({ ...form, maskDesign: design, norm: 'batch' }, 'single');
    expect(settings.model).toBe('inpaint');
    expect(settings.maskDesign).toEqual(design);
    expect(settings.maskDesign?.strokes).not.toBe(design.strokes);
    expect(settings.norm).toBe('none');
    expect(settings.derive).toBeUndefined();
    expect(settings.direction).toBe('AtoB');
  });

  it('sends no mask design for the other models, and derived inputs for a single folder', () => {
    const settings = settingsFromForm({ ...DEFAULT_FORM, datasetId: 'd1', direction: 'BtoA' }, 'single');
    expect(settings.maskDesign).toBeUndefined();
    expect(settings.derive).toBe('gray2color');
    expect(settings.direction).toBe('BtoA');
    expect(settings.norm).toBe('batch');
  });

  it('asks for colour hints only for pix2pix, and only when ticked', () => {
    expect(settingsFromForm({ ...DEFAULT_FORM, datasetId: 'd1' }, 'single').hints).toBeUndefined();
    expect(settingsFromForm({ ...DEFAULT_FORM, datasetId: 'd1', hints: true }, 'single').hints).toBe(true);
    const cyclegan = { ...DEFAULT_FORM, model: 'cyclegan' as const, datasetId: 'd1', hints: true };
    expect(settingsFromForm(cyclegan, 'unaligned').hints).toBeUndefined();
  });

  it('offers the latent GAN on every dataset, at 32, 64 and 128 px in batches of 16 with WGAN-GP', () => {
    for (const mode of ['aligned', 'paired', 'single', 'unaligned'])
      expect(modelMismatch('latent', mode)).toBeNull();
    expect(MODEL_SIZES.latent).toEqual([32, 64, 128]);
    const form = withModel({ ...DEFAULT_FORM, size: 256, batch: 1 }, 'latent');
    expect(form).toMatchObject({
      model: 'latent',
      size: 64,
      gan: 'wgangp',
      norm: 'none',
      ngf: 32,
      batch: 16,
    });
    expect(withModel(form, 'pix2pix').batch).toBe(1);
    expect(withModel({ ...DEFAULT_FORM, batch: 4 }, 'cyclegan').batch).toBe(4);
  });

  it('sends the code length and spectral norm for the latent GAN only, with no derived inputs', () => {
    const latent = withModel({ ...DEFAULT_FORM, datasetId: 'd1', nz: 64, spectralNorm: true }, 'latent');
    expect(settingsFromForm(latent, 'single')).toMatchObject({
      model: 'latent',
      nz: 64,
      spectralNorm: true,
      norm: 'none',
    });
    expect(settingsFromForm(latent, 'single').derive).toBeUndefined();
    expect(settingsFromForm({ ...DEFAULT_FORM, datasetId: 'd1' }, 'single').nz).toBeUndefined();
  });
});
