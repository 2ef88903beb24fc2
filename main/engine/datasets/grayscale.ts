/** Luma (ITU-R BT.601, as PIL's `L` mode) of an RGB image, one float in [0, 1] per pixel. */
export function toGray(rgb: Uint8Array, width: number, height: number): Float32Array {
  const pixels = width * height;
  if (rgb.length !== pixels * 3) {
    throw new RangeError(`toGray: ${rgb.length} bytes do not make a ${width}×${height} RGB image`);
  }
  const gray = new Float32Array(pixels);
  for (let p = 0, i = 0; p < pixels; p += 1, i += 3) {
    gray[p] = (0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!) / 255;
  }
  return gray;
}

/** A gray image in [0, 1] as 8-bit RGB with the same value in all three channels. */
export function grayToRgb(gray: Float32Array): Uint8Array {
  const rgb = new Uint8Array(gray.length * 3);
  for (let p = 0, i = 0; p < gray.length; p += 1, i += 3) {
    const v = Math.round(Math.min(1, Math.max(0, gray[p]!)) * 255);
    rgb[i] = v;
    rgb[i + 1] = v;
    rgb[i + 2] = v;
  }
  return rgb;
}
