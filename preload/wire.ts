/**
 * How calls and replies travel between the web host and the page when they carry bytes (the live
 * canvas's pixels). A binary socket frame is a 4-byte little-endian length, that many bytes of
 * JSON header `{"value": …, "bytes": [{"path": […], "length": n}, …]}`, then the byte arrays end
 * to end: each stands at its path in the value (where the JSON has null), so no key of the value
 * is ever mistaken for one. Over HTTP, whose bodies are JSON, a byte array travels as an object
 * whose one key is `$base64`.
 */

/** The largest call frame the web host's socket accepts (a 2048² drawing with colour hints fits). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

const HEADER_BYTES = 4;

type PathStep = string | number;

/** `value` as plain JSON data: byte arrays (a Node Buffer too) by `replace`, toJSON honoured as JSON.stringify does. */
function mapBytes(
  value: unknown,
  replace: (bytes: Uint8Array, path: PathStep[]) => unknown,
  path: PathStep[] = [],
): unknown {
  if (value instanceof Uint8Array) return replace(value, path);
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return mapBytes(json.call(value) as unknown, replace, path);
  if (Array.isArray(value)) return value.map((item, i) => mapBytes(item, replace, [...path, i]));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, mapBytes(item, replace, [...path, key])]),
  );
}

/** `value` as one binary frame: its JSON with the byte arrays set apart. */
export function encodeFrame(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const bytes: { path: PathStep[]; length: number }[] = [];
  const plain = mapBytes(value, (blob, path) => {
    blobs.push(blob);
    bytes.push({ path, length: blob.length });
    return null;
  });
  const head = new TextEncoder().encode(JSON.stringify({ value: plain, bytes }));
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

/** The frame's JSON header, or a message saying why it cannot be read. */
function readHeader(frame: Uint8Array): { header: unknown; end: number } {
  if (frame.length < HEADER_BYTES) throw new Error('The frame is shorter than its 4-byte header.');
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  const end = HEADER_BYTES + length;
  if (end > frame.length) throw new Error(`The frame's JSON runs ${end - frame.length} bytes past its end.`);
  return { header: JSON.parse(new TextDecoder().decode(frame.subarray(HEADER_BYTES, end))), end };
}

/** The `id` field of the value a frame holds, when its header can be read; null otherwise. */
export function frameId(frame: Uint8Array): unknown {
  try {
    const { header } = readHeader(frame);
    return (header as { value?: { id?: unknown } }).value?.id ?? null;
  } catch {
    return null;
  }
}

/** What `encodeFrame` wrote; byte arrays come back as views into `frame`. Throws on a malformed frame. */
export function decodeFrame(frame: Uint8Array): unknown {
  const { header, end } = readHeader(frame);
  const { value, bytes } = (header ?? {}) as { value?: unknown; bytes?: unknown };
  if (!Array.isArray(bytes)) throw new Error('The frame header lists no byte arrays.');
  let at = end;
  bytes.forEach((entry: { path?: unknown; length?: unknown }, index) => {
    const { path, length } = entry ?? {};
    if (!Array.isArray(path) || path.length === 0 || !Number.isInteger(length) || (length as number) < 0)
      throw new Error(`Byte array ${index} has no valid path and length.`);
    if (at + (length as number) > frame.length)
      throw new Error(`Byte array ${index} runs past the end of the frame.`);
    place(value, path as PathStep[], frame.subarray(at, at + (length as number)), index);
    at += length as number;
  });
  if (at !== frame.length)
    throw new Error(`The frame has ${frame.length - at} bytes after its last byte array.`);
  return value;
}

/** Puts `bytes` where `path` leads in `root`, in place of the null the JSON holds there. */
function place(root: unknown, path: PathStep[], bytes: Uint8Array, index: number): void {
  let container = root;
  for (const step of path.slice(0, -1)) {
    container = Object.hasOwn(Object(container), step)
      ? (container as Record<PathStep, unknown>)[step]
      : undefined;
  }
  const last = path[path.length - 1]!;
  if (container === null || typeof container !== 'object' || !Object.hasOwn(container, last))
    throw new Error(`Byte array ${index}'s path leads nowhere in the frame's value.`);
  (container as Record<PathStep, unknown>)[last] = bytes;
}

/** `value` as JSON text, byte arrays as `{"$base64": "…"}` (an HTTP body). */
export function toJsonWire(value: unknown): string {
  return JSON.stringify(mapBytes(value, (bytes) => ({ $base64: bytesToBase64(bytes) })));
}

/** JSON text back, each object whose one key is `$base64` as its bytes. Throws on malformed JSON or base64. */
export function fromJsonWire(text: string): unknown {
  return revive(JSON.parse(text));
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const encoded = (value as { $base64?: unknown }).$base64;
  if (keys.length === 1 && keys[0] === '$base64' && typeof encoded === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new Error('A byte array in the body is not base64.');
    return base64ToBytes(encoded);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]));
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
