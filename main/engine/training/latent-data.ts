import { LATENT_MIN_IMAGES } from '../../../preload/contract';
import { isUnaligned, SPLIT_NAMES, type DatasetReport, type Pair } from '../datasets/dataset-report';

export { LATENT_MIN_IMAGES };

/** How the latent GAN sees a dataset's images: how many, and how many are centre-cropped to a square. */
export interface LatentImageCounts {
  /** Usable images it trains and validates on (B of pairs, the photos of a single folder). */
  images: number;
  /** Those that are not square, so their centre square is kept and the rest cut off. */
  cropped: number;
}

/** One image a latent GAN reads: its file, the size it has there, and which half of an A|B image it is. */
export interface LatentSource {
  path: string;
  width: number;
  height: number;
  /** `right` for the B half of an aligned A|B image; null for a whole file. */
  half: 'right' | null;
}

function pairSource(pair: Pair, mode: DatasetReport['mode']): LatentSource {
  if (pair.b && pair.bFile) return { path: pair.b, ...pair.bFile, half: null };
  if (mode === 'aligned') {
    return { path: pair.a, width: Math.floor(pair.width / 2), height: pair.height, half: 'right' };
  }
  return { path: pair.a, width: pair.width, height: pair.height, half: null };
}

/** The images a latent GAN reads from a dataset: B of pairs and of unaligned sets, the photos of a single folder. */
export function latentSources(report: DatasetReport): LatentSource[] {
  if (isUnaligned(report)) {
    return SPLIT_NAMES.flatMap((split) =>
      report.unaligned.splits[split].b.map((image) => ({
        path: image.path,
        width: image.width,
        height: image.height,
        half: null,
      })),
    );
  }
  return SPLIT_NAMES.flatMap((split) => report.splits[split].map((pair) => pairSource(pair, report.mode)));
}

/** Counts the images a latent GAN would read from a dataset, and those its square centre crop cuts. */
export function latentImageCounts(report: DatasetReport): LatentImageCounts {
  const sources = latentSources(report);
  return { images: sources.length, cropped: sources.filter((s) => s.width !== s.height).length };
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
