import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runFiles } from '../../engine/training/train-loop';
import { UsageError } from '../output';

/** The newest checkpoint of a run folder, or the file itself. */
export function checkpointOf(target: string): string {
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`${path} does not exist.`);
  if (statSync(path).isFile()) return path;
  const dir = runFiles(path).checkpoints;
  const newest = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.gsck'))
        .sort()
        .at(-1)
    : undefined;
  if (!newest) throw new UsageError(`${path} has no checkpoints yet.`);
  return join(dir, newest);
}
