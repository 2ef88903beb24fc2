import type { RawPixels } from '../../../preload/contract';

/** Uint8Array's own base64 methods (Chromium 140 and later), where the browser has them. */
interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeFromBase64 {
  fromBase64?: (text: string) => Uint8Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Bytes as base64: the browser's own encoder where it has one (a 256×256 drawing in well under a millisecond). */
export function toBase64(bytes: Uint8Array): string {
  const native = (Uint8Array.prototype as NativeBase64).toBase64;
  if (native) return native.call(bytes);
  let text = '';
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    text +=
      ALPHABET[(n >> 18) & 63]! +
      ALPHABET[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
    if (text.length >= 0x4000) {
      parts.push(text);
      text = '';
    }
  }
  parts.push(text);
  return parts.join('');
}

/** The bytes base64 text stands for. */
export function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as NativeFromBase64).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * RGBA pixels (a canvas's ImageData) as the engine takes them, in `channels`: all four (colour
 * hints, where alpha says which pixels hint), three (an opaque drawing: a quarter fewer bytes to
 * send), or one gray channel (BT.601 luma, as the models' gray inputs were made).
 */
export function rgbaToRaw(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): RawPixels {
  if (channels === 4) {
    const bytes = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    return { width, height, channels, data: toBase64(bytes) };
  }
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
  return { width, height, channels, data: toBase64(out) };
}

/** Pixels from the engine (1, 3 or 4 channels) as opaque RGBA for a canvas's ImageData. */
export function rawToRgba(raw: RawPixels): Uint8ClampedArray<ArrayBuffer> {
  const bytes = fromBase64(raw.data);
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
