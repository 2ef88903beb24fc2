import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directionsFileOf, readDirections, unitVector, writeDirections } from './directions-file';

describe('directions file', () => {
  it('sits beside the model and round-trips', () => {
    const dir = mkdtempSync(join(tmpdir(), 'directions-'));
    const model = join(dir, 'faces.onnx');
    expect(directionsFileOf(model)).toBe(join(dir, 'faces.directions.json'));
    expect(readDirections(model, 2)).toEqual({ principal: [], saved: [] });
    const saved = { id: 'saved-1', name: 'Smile', kind: 'saved' as const, vector: [0.6, 0.8], spread: 1 };
    writeDirections(model, { principal: [], saved: [saved] });
    expect(readDirections(model, 2).saved).toEqual([saved]);
    expect(readDirections(model).saved).toEqual([saved]);
    expect(readDirections(model, 3).saved).toEqual([]);
  });

  it('reads a damaged file as empty instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'directions-'));
    const model = join(dir, 'm.onnx');
    writeFileSync(directionsFileOf(model), '{ not json');
    expect(readDirections(model, 2)).toEqual({ principal: [], saved: [] });
    writeFileSync(directionsFileOf(model), JSON.stringify({ saved: [{ id: 1 }, null] }));
    expect(readDirections(model, 2)).toEqual({ principal: [], saved: [] });
  });

  it('normalises vectors and refuses the zero vector', () => {
    expect(unitVector([3, 4])).toEqual([0.6, 0.8]);
    expect(unitVector([0, 0])).toBeNull();
    expect(unitVector([Number.NaN, 1])).toBeNull();
  });
});
