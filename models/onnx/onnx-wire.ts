import protobuf from 'protobufjs/light.js';

/** Field numbers of onnx.proto that code editing a file at the wire level reads or writes. */
export const ONNX_FIELD = {
  model: { irVersion: 1, graph: 7, opsetImport: 8 },
  graph: { node: 1, initializer: 5, input: 11, output: 12 },
  tensor: { name: 8, externalData: 13, dataLocation: 14 },
  valueInfo: { name: 1 },
  attribute: { type: { graph: 5, graphs: 10 } },
} as const;

/** One field of a protobuf message as it lies in the bytes; `body` is a length-delimited field's payload. */
export interface WireField {
  field: number;
  /** The whole field, tag included, as a view of the message's bytes. */
  raw: Uint8Array;
  body?: Uint8Array;
}

/** The fields of a protobuf message in file order, as views of `bytes` (nothing is copied). */
export function wireFields(bytes: Uint8Array): WireField[] {
  const reader = protobuf.Reader.create(bytes);
  const fields: WireField[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const body = (tag & 7) === 2 ? reader.bytes() : undefined;
    if (!body) reader.skipType(tag & 7);
    fields.push({ field: tag >>> 3, raw: bytes.subarray(start, reader.pos), body });
  }
  return fields;
}

/** The first length-delimited `field` of a message, as text ('' when absent). */
export function wireString(bytes: Uint8Array, field: number): string {
  const found = wireFields(bytes).find((f) => f.field === field && f.body);
  return found?.body ? new TextDecoder().decode(found.body) : '';
}

/** A length-delimited field as chunks to write in turn (tag and length, then `body`), `body` not copied. */
export function fieldChunks(field: number, body: Uint8Array): Uint8Array[] {
  return [fieldHeader(field, body.length), body];
}

/** The tag and length that start a length-delimited `field` of `length` bytes. */
export function fieldHeader(field: number, length: number): Uint8Array {
  return protobuf.Writer.create()
    .uint32((field << 3) | 2)
    .uint32(length)
    .finish();
}

/** `chunks` one after another in one new array. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
