import type { RawPixels } from '../../../preload/contract';

/**
 * RGBA pixels (a canvas's ImageData) as the engine takes them, in `channels`: all four (colour
 * hints, where alpha says which pixels hint; a view of `rgba`'s own bytes, not a copy), three (an
 * opaque drawing: a quarter fewer bytes to send), or one gray channel (BT.601 luma, as the models'
 * gray inputs were made).
 */
export function rgbaToRaw(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): RawPixels {
  if (channels === 4)
    return { width, height, channels, data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength) };
  const count = width * height;
  const out = new Uint8Array(count * channels);
  for (let p = 0, o = 0; p < count; p += 1, o += 4) {
    if (channels === 1) {
      out[p] = Math.round(0.299 * rgba[o]! + 0.587 * rgba[o + 1]! + 0.114 * rgba[o + 2]!);
      continue;
    }
    out[p * 3] = rgba[o]!;
    out[p * 3 + 1] = rgba[o + 1]!;
    out[p * 3 + 2] = rgba[o + 2]!;
  }
  return { width, height, channels, data: out };
}

/** Pixels from the engine (1, 3 or 4 channels) as opaque RGBA for a canvas's ImageData. */
export function rawToRgba(raw: RawPixels): Uint8ClampedArray<ArrayBuffer> {
  const bytes = raw.data;
  const count = raw.width * raw.height;
  if (bytes.length !== count * raw.channels) {
    throw new Error(
      `The result holds ${bytes.length} bytes, but ${raw.width}×${raw.height} pixels of ${raw.channels} channels need ${count * raw.channels}.`,
    );
  }
  const rgba = new Uint8ClampedArray(count * 4);
  for (let p = 0; p < count; p += 1) {
    const from = p * raw.channels;
    const gray = raw.channels === 1;
    rgba[p * 4] = bytes[from]!;
    rgba[p * 4 + 1] = bytes[gray ? from : from + 1]!;
    rgba[p * 4 + 2] = bytes[gray ? from : from + 2]!;
    rgba[p * 4 + 3] = raw.channels === 4 ? bytes[from + 3]! : 255;
  }
  return rgba;
}
