import { existsSync, readFileSync } from 'node:fs';
import type { LatentDirection } from '../../../preload/contract';
import { writeFileAtomic } from '../atomic-file';

/** The directions file of a latent generator: `m.onnx` → `m.directions.json` beside it. */
export function directionsFileOf(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '') + '.directions.json';
}

/** What the directions file holds: principal directions (computed once) and the person's saved ones. */
export interface DirectionsFile {
  principal: LatentDirection[];
  saved: LatentDirection[];
}

function isDirection(value: unknown, nz: number | undefined): value is LatentDirection {
  const d = value as LatentDirection | null;
  return (
    !!d &&
    typeof d.id === 'string' &&
    typeof d.name === 'string' &&
    (d.kind === 'principal' || d.kind === 'saved') &&
    Array.isArray(d.vector) &&
    (nz === undefined || d.vector.length === nz) &&
    d.vector.every((x) => Number.isFinite(x)) &&
    Number.isFinite(d.spread)
  );
}

/**
 * Reads a model's directions, those of code length `nz` when it is given; a missing file or one
 * that does not parse reads as empty (the principal directions are then computed again).
 */
export function readDirections(modelPath: string, nz?: number): DirectionsFile {
  const file = directionsFileOf(modelPath);
  if (!existsSync(file)) return { principal: [], saved: [] };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DirectionsFile>;
    const valid = (list: unknown): LatentDirection[] =>
      Array.isArray(list) ? list.filter((d) => isDirection(d, nz)) : [];
    return { principal: valid(parsed.principal), saved: valid(parsed.saved) };
  } catch {
    return { principal: [], saved: [] };
  }
}

/** Writes a model's directions atomically. */
export function writeDirections(modelPath: string, directions: DirectionsFile): void {
  writeFileAtomic(directionsFileOf(modelPath), [Buffer.from(JSON.stringify(directions, null, 1))]);
}

/** `vector` scaled to unit length; null for a zero or non-finite vector. */
export function unitVector(vector: number[]): number[] | null {
  const norm = Math.hypot(...vector);
  if (!(norm > 0) || !Number.isFinite(norm)) return null;
  return vector.map((x) => x / norm);
}
