/** An RGB colour written `#rrggbb` (the `#` optional) as 0–255 channels; black when it cannot be read. */
export function parseHexColor(color: string): [number, number, number] {
  const hex = /^#?([\da-f]{6})$/i.exec(color)?.[1] ?? '000000';
  const value = parseInt(hex, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
