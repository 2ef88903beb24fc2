import { describe, expect, it } from 'vitest';
import { modeFit, modeFor } from './canvas-mode';

const model = (over: Partial<{ kind: string; needsMask: boolean; inChannels: number }> = {}) => ({
  name: 'm',
  kind: 'pix2pix',
  needsMask: false,
  inChannels: 3,
  ...over,
});

describe('canvas modes', () => {
  it('pick Fill holes for models with a mask input and Translate for the others', () => {
    expect(modeFor(model({ kind: 'inpaint', needsMask: true }))).toBe('fill');
    expect(modeFor(model())).toBe('translate');
    expect(modeFor(model({ kind: 'image2image' }))).toBe('translate');
    expect(modeFor(model({ kind: 'latent' }))).toBe('latent');
  });

  it('send a colour drawing to 3-channel translators and a gray one, with a note, to 1-channel ones', () => {
    expect(modeFit(model(), 'translate')).toEqual({ fits: true, channels: 'rgb', note: null });
    const gray = modeFit(model({ inChannels: 1 }), 'translate');
    expect(gray).toMatchObject({ fits: true, channels: 'gray' });
    expect(gray.fits && gray.note).toContain('gray');
  });

  it('explain a model in the wrong mode and name the mode that fits', () => {
    expect(modeFit(model({ needsMask: true }), 'translate')).toMatchObject({ fits: false, belongs: 'fill' });
    expect(modeFit(model(), 'fill')).toMatchObject({ fits: false, belongs: 'translate' });
    expect(modeFit(model({ inChannels: 4 }), 'translate')).toMatchObject({ fits: false, belongs: null });
    const latent = modeFit(model({ kind: 'latent' }), 'translate');
    expect(latent).toMatchObject({ fits: false, belongs: 'latent' });
    expect(latent.fits === false && latent.reason).toContain('Latent mode');
    expect(modeFit(model({ kind: 'latent' }), 'fill')).toMatchObject({ fits: false, belongs: 'latent' });
  });

  it('edit latent generators in Latent mode and send other models back to theirs', () => {
    expect(modeFit(model({ kind: 'latent' }), 'latent')).toMatchObject({ fits: true });
    const translator = modeFit(model(), 'latent');
    expect(translator).toMatchObject({ fits: false, belongs: 'translate' });
    expect(translator.fits === false && translator.reason).toContain('pix2pix');
    expect(modeFit(model({ kind: 'inpaint', needsMask: true }), 'latent')).toMatchObject({
      fits: false,
      belongs: 'fill',
    });
  });
});
