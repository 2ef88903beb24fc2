import type { RawPixels } from '../../../preload/contract';
import { maskFromRgba, maskToRgba, type MaskBitmap } from './mask-bitmap';
import { rawToRgba } from './raw-pixels';

/**
 * An image element with `url` loaded and ready to draw. `decode()` is asked first; Chromium may
 * refuse it for an image that loads fine (it limits decodes in flight), so a refusal falls back to
 * the load itself, and only an image that does not load is an error.
 */
export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  try {
    await image.decode();
  } catch {
    await loaded(image);
  }
  return image;
}

/** Resolves once `image` has loaded with pixels; rejects when it cannot load. */
function loaded(image: HTMLImageElement): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      if (image.naturalWidth > 0) resolve();
      else reject(new Error('The image could not be loaded.'));
    };
    if (image.complete) return settle();
    image.addEventListener('load', settle, { once: true });
    image.addEventListener('error', settle, { once: true });
  });
}

/**
 * Decodes `url` and hands the image to `onImage` unless the returned canceller ran first (an
 * effect's cleanup, when a newer image came meanwhile); a failed decode goes to `onError`.
 */
export function whenDecoded(
  url: string,
  onImage: (image: HTMLImageElement) => void,
  onError: () => void = () => undefined,
): () => void {
  let live = true;
  void loadImage(url).then(
    (image) => {
      if (live) onImage(image);
    },
    () => {
      if (live) onError();
    },
  );
  return () => {
    live = false;
  };
}

/** Pixels from the engine on a canvas of their size. */
export function pixelsCanvas(raw: RawPixels): HTMLCanvasElement {
  const [canvas, context] = offscreen(raw.width, raw.height);
  context.putImageData(new ImageData(rawToRgba(raw), raw.width, raw.height), 0, 0);
  return canvas;
}

/** A canvas of `width`×`height` and its 2D context. */
export function offscreen(width: number, height: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser gives no 2D canvas.');
  return [canvas, context];
}

/**
 * The mask as the engine reads it: a PNG data URL at the image's own resolution (not the
 * zoomed stage), opaque white in the hole and opaque black elsewhere.
 */
export function maskToPng(mask: MaskBitmap): string {
  const [canvas, context] = offscreen(mask.width, mask.height);
  const pixels = context.createImageData(mask.width, mask.height);
  maskToRgba(mask, pixels.data);
  context.putImageData(pixels, 0, 0);
  return canvas.toDataURL('image/png');
}

/** A mask decoded from a PNG data URL that must be `width`×`height` (white = hole). */
export async function maskFromPng(url: string, width: number, height: number): Promise<MaskBitmap> {
  const image = await loadImage(url);
  if (image.naturalWidth !== width || image.naturalHeight !== height) {
    throw new Error(
      `The mask is ${image.naturalWidth}×${image.naturalHeight}; the image is ${width}×${height}.`,
    );
  }
  const [, context] = offscreen(width, height);
  context.drawImage(image, 0, 0);
  return maskFromRgba(context.getImageData(0, 0, width, height).data, width, height);
}
