import type { PreviewPair } from '../../../preload/contract';
import { latentSources, type LatentSource } from '../training/latent-data';
import type { DatasetReport } from './dataset-report';
import { decodeImage, rgbPngDataUrl, type RgbImage } from './image-io';
import { centreSquare, resizeRgb, splitAligned } from './preprocess';
import { SeededRandom } from './seeded-random';

/** How much the part of a picture that the square crop cuts off is darkened in the preview. */
const CUT_OFF_SHADE = 0.3;

/** The whole picture fitted in `size`², with what lies outside its centred square darkened. */
async function markedWhole(image: RgbImage, size: number): Promise<RgbImage> {
  const scale = size / Math.max(image.width, image.height);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const fitted = await resizeRgb(image, width, height);
  const side = Math.min(width, height);
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);
  const data = Uint8Array.from(fitted.data);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (x >= x0 && x < x0 + side && y >= y0 && y < y0 + side) continue;
      for (let c = 0; c < 3; c += 1) {
        const i = (y * width + x) * 3 + c;
        data[i] = Math.round(data[i]! * CUT_OFF_SHADE);
      }
    }
  }
  return { width, height, data };
}

async function load(source: LatentSource, maxSide: number): Promise<RgbImage> {
  const image = await decodeImage(source.path, { maxSide });
  return source.half === 'right' ? splitAligned(image).b : image;
}

/**
 * A preview of the latent GAN's square centre crop: for `count` of the dataset's images (those
 * that are not square first, in a seeded order), the whole picture with the cut-off parts
 * darkened beside the square it trains on, at `size` px. Unreadable files are skipped.
 */
export async function squareCropPreview(
  report: DatasetReport,
  o: { count: number; seed: number; size: number },
): Promise<PreviewPair[]> {
  const sources = latentSources(report);
  const rng = SeededRandom.fromSeed(o.seed, 0);
  const order = sources
    .map((source) => ({ source, key: (source.width === source.height ? 1 : 0) + rng.range(0, 0.5) }))
    .sort((p, q) => p.key - q.key)
    .map((p) => p.source);
  const pairs: PreviewPair[] = [];
  for (const source of order) {
    if (pairs.length >= o.count) break;
    try {
      const image = await load(source, 4 * o.size);
      const whole = await markedWhole(image, o.size);
      const square = await centreSquare(image, o.size);
      pairs.push({ a: await rgbPngDataUrl(whole), b: await rgbPngDataUrl(square) });
    } catch {
      // The dataset's report already lists files that cannot be read; the preview shows the next one.
    }
  }
  return pairs;
}
