import { describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../training/run-config';
import { colorizesGray, derivedInputMetadata } from './derived-input';

const config = (o: Record<string, unknown>) =>
  trainConfigSchema.parse({ model: 'pix2pix', data: { root: '/photos', mode: 'single' }, size: 32, ...o });

describe('derivedInputMetadata', () => {
  it('records gray2color and edges2photo for a pix2pix that maps the derived image to the photo', () => {
    const gray = config({ data: { root: '/photos', mode: 'single', derive: 'gray2color' } });
    expect(derivedInputMetadata(gray, 'AtoB')).toEqual({ derived_input: 'gray2color' });
    const edges = config({ data: { root: '/photos', mode: 'single', derive: 'edges2photo' } });
    expect(derivedInputMetadata(edges, 'AtoB')).toEqual({ derived_input: 'edges2photo' });
  });

  it('records nothing when the generator maps photos the other way, or the pairs were not derived', () => {
    const gray = config({
      data: { root: '/photos', mode: 'single', derive: 'gray2color' },
      direction: 'BtoA',
    });
    expect(derivedInputMetadata(gray, 'BtoA')).toEqual({});
    expect(derivedInputMetadata(config({ data: { root: '/pairs', mode: 'aligned' } }), 'AtoB')).toEqual({});
  });
});

describe('colorizesGray', () => {
  it('is true only for a gray→color model', () => {
    expect(colorizesGray({ derived_input: 'gray2color' })).toBe(true);
    expect(colorizesGray({ derived_input: 'edges2photo' })).toBe(false);
    expect(colorizesGray({})).toBe(false);
  });
});
