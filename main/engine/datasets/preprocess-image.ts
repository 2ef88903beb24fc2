import { toFloatHWC, type RgbImage } from './image-io';
import {
  assertSizes,
  centreSquare,
  cropRgb,
  drawParams,
  ImageTooSmallError,
  resizeRgb,
  type PreprocessOptions,
} from './preprocess';
import type { SeededRandom } from './seeded-random';

/** How one image (of an unaligned dataset) becomes a sample: the pair options without pairing. */
export type ImagePreprocessOptions = Pick<PreprocessOptions, 'preprocess' | 'loadSize' | 'cropSize' | 'flip'>;

/**
 * Resizes, crops and flips one image on its own, as the CycleGAN reference treats A and B, and
 * returns it as Float32 HWC in [-1, 1], `cropSize`² pixels. With `rng` null nothing is random: the
 * crop is centred and there is no flip.
 */
export async function preprocessImage(
  image: RgbImage,
  options: ImagePreprocessOptions,
  rng: SeededRandom | null,
): Promise<Float32Array> {
  const { preprocess, cropSize } = options;
  assertSizes(options);
  if (preprocess === 'square') {
    const flip = rng !== null && options.flip && rng.chance(0.5);
    return toFloatHWC(cropRgb(await centreSquare(image, cropSize), 0, 0, cropSize, cropSize, flip).data);
  }
  const [width, height] =
    preprocess === 'resize_and_crop'
      ? [options.loadSize, options.loadSize]
      : preprocess === 'resize'
        ? [cropSize, cropSize]
        : [image.width, image.height];
  if (width < cropSize || height < cropSize) {
    throw new ImageTooSmallError(
      `The image is ${width}×${height}, smaller than the ${cropSize}×${cropSize} crop (preprocess "none" does not resize).`,
    );
  }
  const params = rng
    ? drawParams(width, height, cropSize, options.flip, rng)
    : { x: Math.floor((width - cropSize) / 2), y: Math.floor((height - cropSize) / 2), flip: false };
  const sized = await resizeRgb(image, width, height);
  return toFloatHWC(cropRgb(sized, params.x, params.y, cropSize, cropSize, params.flip).data);
}
