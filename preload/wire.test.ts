import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, frameId, fromJsonWire, toJsonWire } from './wire';

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

  it('names what is wrong with a malformed frame, and reads the id of one whose header parses', () => {
    const good = encodeFrame({ id: 4, data: Uint8Array.from([1, 2, 3]) });
    expect(frameId(good)).toBe(4);
    expect(() => decodeFrame(new Uint8Array(2))).toThrow('shorter than its 4-byte header');
    expect(frameId(new Uint8Array(2))).toBeNull();
    const long = good.slice();
    new DataView(long.buffer).setUint32(0, 10_000, true);
    expect(() => decodeFrame(long)).toThrow(/JSON runs \d+ bytes past its end/);
    const short = good.subarray(0, good.length - 1);
    expect(() => decodeFrame(short)).toThrow('Byte array 0 runs past the end');
    expect(frameId(short)).toBe(4);
    const extra = new Uint8Array(good.length + 2);
    extra.set(good);
    expect(() => decodeFrame(extra)).toThrow('2 bytes after its last byte array');
    const frameOf = (header: string): Uint8Array => {
      const json = new TextEncoder().encode(header);
      const frame = new Uint8Array(4 + json.length);
      new DataView(frame.buffer).setUint32(0, json.length, true);
      frame.set(json, 4);
      return frame;
    };
    expect(() => decodeFrame(frameOf('{"value":{"a":null}}'))).toThrow('lists no byte arrays');
    expect(() => decodeFrame(frameOf('{"value":{"a":null},"bytes":[{"path":["b"],"length":0}]}'))).toThrow(
      'path leads nowhere',
    );
    expect(() => decodeFrame(frameOf('{"value":{"a":null},"bytes":[{"path":[],"length":0}]}'))).toThrow(
      'no valid path and length',
    );
    expect(() => decodeFrame(frameOf('{{'))).toThrow(SyntaxError);
  });

  it('keeps keys that look like markers, toJSON values and a __proto__ key as plain JSON would', () => {
    const tricky = {
      $bytes: 1,
      length: 2,
      note: { $base64: 'not bytes here' },
      when: new Date(Date.UTC(2026, 10, 23)),
      parsed: JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
      data: Uint8Array.from([7]),
    };
    const back = decodeFrame(encodeFrame(tricky)) as Record<string, unknown>;
    expect(plain(back)).toEqual({
      $bytes: 1,
      length: 2,
      note: { $base64: 'not bytes here' },
      when: '2026-11-23T00:00:00.000Z',
      parsed: JSON.parse('{"__proto__": {"polluted": true}}'),
      data: { bytes: [7] },
    });
    expect(Object.getPrototypeOf(back.parsed)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('carries byte arrays through JSON as base64 for HTTP, and refuses text that is not base64', () => {
    const text = toJsonWire(call);
    expect(text).toContain('"$base64":"AQID+vv8"');
    expect(plain(fromJsonWire(text))).toEqual(plain(decodeFrame(encodeFrame(call))));
    expect(() => fromJsonWire('{"data":{"$base64":"not base64!"}}')).toThrow('not base64');
    expect(fromJsonWire('{"payload":{"name":"plain"}}')).toEqual({ payload: { name: 'plain' } });
    // Only an object whose one key is $base64 stands for bytes.
    expect(fromJsonWire('{"a":{"$base64":"AQI=","note":"x"}}')).toEqual({
      a: { $base64: 'AQI=', note: 'x' },
    });
  });
});
