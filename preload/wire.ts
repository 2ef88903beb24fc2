/**
 * How calls and replies travel between the web host and the page when they carry bytes (the live
 * canvas's pixels). A binary socket frame is a 4-byte little-endian length, that many bytes of
 * JSON, then the byte arrays the JSON names as `{"$bytes": i}`, end to end. Over HTTP, whose
 * bodies are JSON, a byte array travels as `{"$base64": "…"}`.
 */

/** The largest call the web host accepts, as a socket frame or an HTTP body. */
export const MAX_CALL_BYTES = 1024 * 1024;

const HEADER_BYTES = 4;

/** Copies `value` with every byte array (a Node Buffer too) replaced by what `replace` makes of it. */
function mapBytes(value: unknown, replace: (bytes: Uint8Array) => unknown): unknown {
  if (value instanceof Uint8Array) return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapBytes(item, replace));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = mapBytes(item, replace);
  return out;
}

/** `value` as one binary frame: its JSON with the byte arrays set apart. */
export function encodeFrame(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(
    mapBytes(value, (bytes) => {
      blobs.push(bytes);
      return { $bytes: blobs.length - 1, length: bytes.length };
    }),
  );
  const head = new TextEncoder().encode(json);
  const frame = new Uint8Array(HEADER_BYTES + head.length + blobs.reduce((sum, b) => sum + b.length, 0));
  new DataView(frame.buffer).setUint32(0, head.length, true);
  frame.set(head, HEADER_BYTES);
  let at = HEADER_BYTES + head.length;
  for (const blob of blobs) {
    frame.set(blob, at);
    at += blob.length;
  }
  return frame;
}

/** What `encodeFrame` wrote; byte arrays come back as views into `frame`. Throws on a malformed frame. */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.length < HEADER_BYTES) throw new Error('The frame is shorter than its 4-byte header.');
  const headLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  let at = HEADER_BYTES + headLength;
  if (at > frame.length) throw new Error(`The frame's JSON runs ${at - frame.length} bytes past its end.`);
  const parsed: unknown = JSON.parse(new TextDecoder().decode(frame.subarray(HEADER_BYTES, at)));
  const blobs: { index: number; length: number }[] = [];
  const placeholders = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(placeholders);
    if (value === null || typeof value !== 'object') return;
    const { $bytes, length } = value as { $bytes?: unknown; length?: unknown };
    if ($bytes !== undefined) {
      if (!Number.isInteger($bytes) || !Number.isInteger(length) || (length as number) < 0)
        throw new Error('A byte array in the frame has no valid index and length.');
      blobs.push({ index: $bytes as number, length: length as number });
      return;
    }
    Object.values(value).forEach(placeholders);
  };
  placeholders(parsed);
  blobs.sort((a, b) => a.index - b.index);
  const views = new Map<number, Uint8Array>();
  blobs.forEach(({ index, length }, order) => {
    if (index !== order)
      throw new Error(`The frame's byte arrays are not numbered 0 to ${blobs.length - 1}.`);
    if (at + length > frame.length) throw new Error(`Byte array ${index} runs past the end of the frame.`);
    views.set(index, frame.subarray(at, at + length));
    at += length;
  });
  if (at !== frame.length)
    throw new Error(`The frame has ${frame.length - at} bytes after its last byte array.`);
  return revive(parsed, (marker) => views.get(marker.$bytes as number));
}

/** `value` as JSON text, byte arrays as base64 (an HTTP body). */
export function toJsonWire(value: unknown): string {
  return JSON.stringify(mapBytes(value, (bytes) => ({ $base64: bytesToBase64(bytes) })));
}

/** JSON text back with its `{"$base64"}` byte arrays. Throws on malformed JSON or base64. */
export function fromJsonWire(text: string): unknown {
  return revive(JSON.parse(text), (marker) => {
    if (typeof marker.$base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(marker.$base64))
      throw new Error('A byte array in the body is not base64.');
    return base64ToBytes(marker.$base64);
  });
}

/** Replaces each `{"$bytes"}` or `{"$base64"}` object with the byte array `bytes` gives for it. */
function revive(value: unknown, bytes: (marker: Record<string, unknown>) => Uint8Array | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => revive(item, bytes));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if ('$bytes' in record || '$base64' in record) return bytes(record);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = revive(item, bytes);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
