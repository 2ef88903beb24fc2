import { isUnaligned, SPLIT_NAMES, type DatasetReport, type Pair } from '../datasets/dataset-report';

/**
 * The fewest images a latent GAN is trained on. An unconditional GAN learns a distribution, not
 * a mapping, and its critic overfits small sets (Karras et al. 2020 see it already with a few
 * thousand images); with fewer than about a hundred it memorises them, the generator copies
 * training images, and the encoder and the editor have nothing between them to move along.
 * A hundred is a floor, not a target: real sets should have thousands.
 */
export const LATENT_MIN_IMAGES = 100;

/** How the latent GAN sees a dataset's images: how many, and how many are centre-cropped to a square. */
export interface LatentImageCounts {
  /** Usable images it trains and validates on (B of pairs, the photos of a single folder). */
  images: number;
  /** Those that are not square, so their centre square is kept and the rest cut off. */
  cropped: number;
}

/** Width and height of the image a pair gives the latent GAN: its B side (the photo of a single folder). */
function photoSize(pair: Pair, mode: DatasetReport['mode']): { width: number; height: number } {
  if (pair.bFile) return pair.bFile;
  if (mode === 'aligned') return { width: Math.floor(pair.width / 2), height: pair.height };
  return pair;
}

/** Counts the images a latent GAN would read from a dataset (B of pairs or of an unaligned set). */
export function latentImageCounts(report: DatasetReport): LatentImageCounts {
  const sizes = isUnaligned(report)
    ? SPLIT_NAMES.flatMap((split) => report.unaligned.splits[split].b)
    : SPLIT_NAMES.flatMap((split) => report.splits[split].map((pair) => photoSize(pair, report.mode)));
  return { images: sizes.length, cropped: sizes.filter((s) => s.width !== s.height).length };
}

/** Why a dataset cannot train a latent GAN (too few images, saying how many it has), or undefined. */
export function latentDataError(report: DatasetReport, minImages = LATENT_MIN_IMAGES): string | undefined {
  const { images } = latentImageCounts(report);
  if (images >= minImages) return undefined;
  const which = isUnaligned(report) ? ' B' : '';
  return `${report.root} has ${images} usable${which} image${images === 1 ? '' : 's'}; a latent GAN needs at least ${minImages} to learn what the images have in common rather than copy them (thousands are better).`;
}

/** A sentence on the square centre crop, for the dataset report and the Train form; null when no image is cropped. */
export function squareCropNote(counts: LatentImageCounts): string | null {
  if (counts.cropped === 0) return null;
  return `${counts.cropped} of ${counts.images} images are not square: the latent GAN keeps each one's centred square and resizes it.`;
}
