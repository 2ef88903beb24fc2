import { join, sep } from 'node:path';
import { StudioError } from '../errors';
import type { SplitName } from './dataset-report';
import { folderLabel, listFolder, type Listing } from './list-folder';

/** The A folder and the B folder of one split of an unaligned dataset. */
export interface SideFolders {
  split: SplitName;
  a: Listing;
  b: Listing;
}

/** Where an unaligned dataset's images are: `trainA/ trainB/ …` in one folder, or two folders. */
export interface UnalignedLayout {
  mode: 'unaligned';
  splits: SideFolders[];
  /** The B folder when A and B are two folders of their own; null for `trainA/ trainB/`. */
  secondRoot: string | null;
  /** How messages name the training folder of each side. */
  names: { a: string; b: string };
}

const UNALIGNED_FOLDERS = ['traina', 'trainb', 'vala', 'valb', 'testa', 'testb'];
const HELD_OUT: readonly SplitName[] = ['val', 'test'];

/** Whether a folder has any of the reference's unaligned folders (`trainA/`, `trainB/`, `testA/`, …). */
export function hasUnalignedFolders(top: Listing): boolean {
  return UNALIGNED_FOLDERS.some((name) => top.folders.has(name));
}

/**
 * The folders of an unaligned dataset, as the CycleGAN reference reads them: `trainA/` and
 * `trainB/` (optionally `valA/ valB/`, `testA/ testB/`) inside `root`, or `root` as A and
 * `secondRoot` as B. Throws when a training side is missing or has no images.
 */
export async function resolveUnalignedLayout(
  root: string,
  top: Listing,
  secondRoot: string | undefined,
  label: (path: string) => string,
): Promise<UnalignedLayout> {
  if (secondRoot !== undefined) return twoFolders(root, top, secondRoot, label);
  const trainA = top.folders.get('traina');
  const trainB = top.folders.get('trainb');
  if (trainA === undefined && trainB === undefined) {
    throw new StudioError(
      'invalid-payload',
      `${root} has no trainA/ and trainB/ folders. An unaligned dataset keeps its A images in trainA/ ` +
        `and its B images in trainB/ (optionally testA/ and testB/), or in two folders you choose.`,
    );
  }
  if (trainA === undefined || trainB === undefined) {
    const present = await listFolder((trainA ?? trainB)!, 'Folder');
    const missing = trainA === undefined ? 'trainA' : 'trainB';
    throw new StudioError(
      'invalid-payload',
      `Found ${plural(present.images.length, 'image')} in ${folderLabel(present, label)} but no ` +
        `${missing}${sep} folder in ${root}. An unaligned dataset needs images on both sides, so training cannot start.`,
    );
  }
  const train: SideFolders = {
    split: 'train',
    a: await listFolder(trainA, 'Folder'),
    b: await listFolder(trainB, 'Folder'),
  };
  for (const side of [train.a, train.b]) {
    if (side.images.length === 0) throw emptySide(side, 'in both trainA/ and trainB/');
  }
  const splits = [train];
  for (const split of HELD_OUT) {
    const a = top.folders.get(`${split}a`);
    const b = top.folders.get(`${split}b`);
    if (a === undefined && b === undefined) continue;
    splits.push({
      split,
      a: await listFolder(a ?? join(root, `${split}A`), 'Folder', true),
      b: await listFolder(b ?? join(root, `${split}B`), 'Folder', true),
    });
  }
  return {
    mode: 'unaligned',
    splits,
    secondRoot: null,
    names: { a: folderLabel(train.a, label), b: folderLabel(train.b, label) },
  };
}

async function twoFolders(
  root: string,
  top: Listing,
  secondRoot: string,
  label: (path: string) => string,
): Promise<UnalignedLayout> {
  if (secondRoot === root) {
    throw new StudioError(
      'invalid-payload',
      `The A and B folders are the same (${root}). An unaligned dataset needs its A images and its B images in two different folders.`,
    );
  }
  const b = await listFolder(secondRoot, 'Second dataset folder');
  for (const side of [top, b]) {
    if (side.images.length > 0) continue;
    const hint = hasUnalignedFolders(side)
      ? ` It has trainA/ and trainB/ folders: import ${side.path} on its own, without a second folder.`
      : '';
    throw emptySide(side, 'in both folders', hint);
  }
  return {
    mode: 'unaligned',
    splits: [{ split: 'train', a: top, b }],
    secondRoot,
    names: { a: folderLabel(top, label), b: folderLabel(b, label) },
  };
}

function emptySide(side: Listing, where: string, hint = ''): StudioError {
  const others =
    side.ignored > 0 ? ` (it has ${plural(side.ignored, 'other file')}, but none is an image)` : '';
  return new StudioError(
    'invalid-payload',
    `${withSep(side.path)} has no images${others}. An unaligned dataset needs images ${where}, so training cannot start.${hint}`,
  );
}

function withSep(path: string): string {
  return path.endsWith(sep) ? path : `${path}${sep}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
