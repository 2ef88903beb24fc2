import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, fromJsonWire, toJsonWire } from './wire';

const call = {
  id: 7,
  channel: 'canvas:translate',
  payload: {
    modelId: 'm',
    image: { width: 2, height: 1, channels: 3, data: Uint8Array.from([1, 2, 3, 250, 251, 252]) },
    hints: { width: 1, height: 1, channels: 4, data: Buffer.from([9, 8, 7, 6]) },
    list: [new Uint8Array(0), 'text', null, 1.5, { nested: Uint8Array.from([42]) }],
    preview: true,
  },
};

/** `value` with its byte arrays as plain number lists, to compare Buffers and views alike. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { bytes: [...v] } : v)),
  );
}

describe('wire', () => {
  it('carries byte arrays through a binary frame as bytes, at any depth, with everything else as JSON', () => {
    const frame = encodeFrame(call);
    const back = decodeFrame(frame) as typeof call;
    expect(plain(back)).toEqual(
      plain({
        ...call,
        payload: { ...call.payload, hints: { ...call.payload.hints, data: Uint8Array.from([9, 8, 7, 6]) } },
      }),
    );
    expect(back.payload.image.data).toBeInstanceOf(Uint8Array);
    // The bytes ride raw: the frame is its JSON plus 6 + 4 + 0 + 1 bytes, not base64 text.
    const json = new TextDecoder().decode(
      frame.subarray(4, 4 + new DataView(frame.buffer).getUint32(0, true)),
    );
    expect(frame.length).toBe(4 + new TextEncoder().encode(json).length + 11);
    expect(json).not.toContain('250');
  });

  it('decodes a frame that sits inside a larger buffer (a pooled Node Buffer)', () => {
    const frame = encodeFrame({ data: Uint8Array.from([5, 6]) });
    const pool = new Uint8Array(frame.length + 16);
    pool.set(frame, 9);
    expect(plain(decodeFrame(pool.subarray(9, 9 + frame.length)))).toEqual({ data: { bytes: [5, 6] } });
  });

  it('names what is wrong with a malformed frame', () => {
    const good = encodeFrame({ data: Uint8Array.from([1, 2, 3]) });
    expect(() => decodeFrame(new Uint8Array(2))).toThrow('shorter than its 4-byte header');
    const long = good.slice();
    new DataView(long.buffer).setUint32(0, 10_000, true);
    expect(() => decodeFrame(long)).toThrow(/JSON runs \d+ bytes past its end/);
    expect(() => decodeFrame(good.subarray(0, good.length - 1))).toThrow('Byte array 0 runs past the end');
    const extra = new Uint8Array(good.length + 2);
    extra.set(good);
    expect(() => decodeFrame(extra)).toThrow('2 bytes after its last byte array');
    const json = new TextEncoder().encode('{"a":{"$bytes":1,"length":0}}');
    const skipped = new Uint8Array(4 + json.length);
    new DataView(skipped.buffer).setUint32(0, json.length, true);
    skipped.set(json, 4);
    expect(() => decodeFrame(skipped)).toThrow('not numbered 0 to 0');
    const notJson = new Uint8Array(6);
    new DataView(notJson.buffer).setUint32(0, 2, true);
    notJson.set([123, 123], 4);
    expect(() => decodeFrame(notJson)).toThrow(SyntaxError);
  });

  it('carries byte arrays through JSON as base64 for HTTP, and refuses text that is not base64', () => {
    const text = toJsonWire(call);
    expect(text).toContain('"$base64":"AQID+vv8"');
    expect(plain(fromJsonWire(text))).toEqual(plain(decodeFrame(encodeFrame(call))));
    expect(() => fromJsonWire('{"data":{"$base64":"not base64!"}}')).toThrow('not base64');
    expect(fromJsonWire('{"payload":{"name":"plain"}}')).toEqual({ payload: { name: 'plain' } });
  });
});
