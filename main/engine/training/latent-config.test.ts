import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanDataset } from '../datasets/scan-dataset';
import { writeShapePhotos } from '../datasets/test-images';
import { useTempDir } from '../../test-support/temp-dir';
import { latentDataError, latentImageCounts, LATENT_MIN_IMAGES, squareCropNote } from './latent-data';
import { trainConfigSchema } from './run-config';

const tempDir = useTempDir();

const issues = (input: Record<string, unknown>): string[] => {
  const parsed = trainConfigSchema.safeParse({ model: 'latent', data: { root: '/photos' }, ...input });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('latent run configuration', () => {
  it("defaults to WGAN-GP's settings at 64 px, batches of 16 and a square centre crop", () => {
    const config = trainConfigSchema.parse({ model: 'latent', data: { root: '/photos' } });
    expect(config).toMatchObject({
      size: 64,
      batch: 16,
      gan: 'wgangp',
      norm: 'none',
      ngf: 32,
      ndf: 32,
      lr: 1e-4,
      nz: 100,
      nCritic: 5,
      lambdaGp: 10,
      spectralNorm: false,
      preprocess: 'square',
    });
  });

  it('names what is wrong: a size the generator cannot reach, another loss, a bad code length', () => {
    expect(issues({ size: 48 })).toEqual([
      'size: The latent GAN needs a power-of-two size from 16 to 256 (64 or 128 are usual), got 48.',
    ]);
    expect(issues({ size: 512 })).toHaveLength(1);
    expect(issues({ gan: 'hinge' })).toEqual(['gan: the latent GAN trains with WGAN-GP (wgangp)']);
    expect(issues({ nz: 0 })[0]).toMatch(/^nz: /);
    expect(issues({ size: 128, nz: 64, spectralNorm: true, nCritic: 2 })).toEqual([]);
  });

  it('keeps the square crop to the latent GAN', () => {
    const parsed = trainConfigSchema.safeParse({
      model: 'pix2pix',
      data: { root: '/d' },
      preprocess: 'square',
    });
    expect(parsed.success).toBe(false);
  });
});

describe('latent data', () => {
  it('counts the images and those the square crop cuts, and refuses a small folder with both counts', async () => {
    const root = join(tempDir(), 'photos');
    await writeShapePhotos(root, 30, { size: 16, wideEvery: 4 });
    const report = await scanDataset(root, { cropSize: 16 });
    expect(latentImageCounts(report)).toEqual({ images: 30, cropped: 8 });
    expect(squareCropNote({ images: 30, cropped: 8 })).toBe(
      "8 of 30 images are not square: the latent GAN keeps each one's centred square and resizes it.",
    );
    expect(squareCropNote({ images: 30, cropped: 0 })).toBeNull();
    expect(latentDataError(report)).toBe(
      `${root} has 30 usable images; a latent GAN needs at least ${LATENT_MIN_IMAGES} to learn what the images have in common rather than copy them (thousands are better).`,
    );
    expect(latentDataError(report, 30)).toBeUndefined();
  });
});
