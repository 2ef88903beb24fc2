import type { Pair } from './dataset-report';
import { DEFAULT_MAX_SIDE, decodeImage } from './image-io';
import { splitAligned, type PairImages } from './preprocess';

/**
 * Decodes the files of a pair: an aligned image split into halves, two files, or one photo as B
 * (A is derived later). `maxSide` bounds each side's longest edge.
 */
export async function loadPairImages(pair: Pair, maxSide = DEFAULT_MAX_SIDE): Promise<PairImages> {
  if (pair.aligned) return splitAligned(await decodeImage(pair.a, { maxSide: 2 * maxSide }));
  if (pair.b === null) return { a: null, b: await decodeImage(pair.a, { maxSide }) };
  const [a, b] = await Promise.all([decodeImage(pair.a, { maxSide }), decodeImage(pair.b, { maxSide })]);
  return { a, b };
}
