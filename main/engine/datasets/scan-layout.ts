import { join } from 'node:path';
import { StudioError } from '../errors';
import { IMAGE_EXTENSIONS } from '../folder-listing';
import { SPLIT_NAMES, type DatasetMode, type SplitName } from './dataset-report';
import { folderLabel, listFolder, type Listing } from './list-folder';
import { hasUnalignedFolders, resolveUnalignedLayout, type UnalignedLayout } from './unaligned-layout';

/** A split read from one folder. */
export interface FolderSplit {
  split: SplitName;
  folder: Listing;
}

/** A split whose A and B images sit in two folders. */
export interface PairedSplit {
  split: SplitName;
  a: Listing;
  b: Listing;
}

/** Which layout a dataset folder has and the folders of each split. */
export type Layout =
  | { mode: 'aligned' | 'single'; splits: FolderSplit[] }
  | { mode: 'paired'; splits: PairedSplit[]; secondRoot: string | null }
  | UnalignedLayout;

/**
 * Detects (or checks, when `mode` is given) the layout of a dataset folder and lists the folders of
 * each split, with clear errors for missing, empty and one-sided folders.
 */
export async function resolveLayout(
  root: string,
  mode: DatasetMode | undefined,
  secondRoot: string | undefined,
  label: (path: string) => string,
): Promise<Layout> {
  const top = await listFolder(root, 'Dataset folder');
  const splitFolders = SPLIT_NAMES.filter((split) => top.folders.has(split));
  const hasSides = top.folders.has('a') || top.folders.has('b');
  const detected: DatasetMode =
    mode ??
    (secondRoot !== undefined || hasSides
      ? 'paired'
      : splitFolders.length > 0
        ? 'aligned'
        : hasUnalignedFolders(top)
          ? 'unaligned'
          : top.images.length > 0
            ? 'single'
            : detectNothing(root, top));

  if (detected === 'unaligned') return resolveUnalignedLayout(root, top, secondRoot, label);

  if (detected === 'paired') {
    if (secondRoot !== undefined) {
      const b = await listFolder(secondRoot, 'Second dataset folder');
      return { mode: 'paired', splits: await pairedSplits(top, b, label), secondRoot };
    }
    if (!hasSides) {
      throw new StudioError(
        'invalid-payload',
        `${root} has no A/ and B/ folders. A paired dataset keeps its inputs in A/ and the matching ` +
          `targets (same file names) in B/, or in two folders you choose.`,
      );
    }
    const a = top.folders.get('a');
    const b = top.folders.get('b');
    if (a === undefined || b === undefined) {
      const present = await listFolder((a ?? b)!, 'Folder');
      const [has, lacks] = a === undefined ? ['B/', 'A/'] : ['A/', 'B/'];
      throw oneSideOnly(present.images.length, has, lacks, true);
    }
    return {
      mode: 'paired',
      splits: await pairedSplits(await listFolder(a, 'Folder'), await listFolder(b, 'Folder'), label),
      secondRoot: null,
    };
  }
  if (secondRoot !== undefined) {
    throw new StudioError(
      'invalid-payload',
      `A second folder only makes sense for a paired dataset (or an unaligned one), not for the ${detected} layout.`,
    );
  }
  if (splitFolders.length > 0 && (detected === 'aligned' || top.images.length === 0)) {
    const splits: FolderSplit[] = [];
    for (const split of splitFolders) {
      splits.push({ split, folder: await listFolder(top.folders.get(split)!, 'Folder') });
    }
    if (splits.every((s) => s.folder.images.length === 0)) {
      throw new StudioError(
        'invalid-payload',
        `${root} has no images in ${splitFolders.map((s) => `${s}/`).join(', ')}.`,
      );
    }
    return { mode: detected, splits };
  }
  if (top.images.length === 0) {
    if (detected === 'aligned') {
      throw new StudioError(
        'invalid-payload',
        `${root} has no train/, val/ or test/ folder and no images. An aligned dataset keeps A|B ` +
          `images (A on the left, B on the right) in train/, val/ and test/.`,
      );
    }
    return detectNothing(root, top);
  }
  return { mode: detected, splits: [{ split: 'train', folder: top }] };
}

function detectNothing(root: string, top: Listing): never {
  const hint =
    top.folders.size > 0
      ? ` It has sub-folders, but none named train/, val/, test/, A/, B/, trainA/ or trainB/.`
      : top.ignored > 0
        ? ` It has ${top.ignored} other file${top.ignored === 1 ? '' : 's'}, but none named ${[...IMAGE_EXTENSIONS].map((e) => `*${e}`).join(', ')}.`
        : ' It is empty.';
  throw new StudioError('invalid-payload', `${root} has no images.${hint}`);
}

async function pairedSplits(a: Listing, b: Listing, label: (path: string) => string): Promise<PairedSplit[]> {
  const splitNames = SPLIT_NAMES.filter((split) => a.folders.has(split));
  const splits: PairedSplit[] =
    a.images.length === 0 && splitNames.length > 0
      ? await Promise.all(
          splitNames.map(async (split) => ({
            split,
            a: await listFolder(a.folders.get(split)!, 'Folder'),
            b: await listFolder(b.folders.get(split) ?? join(b.path, split), 'Folder', true),
          })),
        )
      : [{ split: 'train', a, b }];
  for (const s of splits) {
    const [nA, nB] = [s.a.images.length, s.b.images.length];
    if (nA > 0 && nB === 0) throw oneSideOnly(nA, folderLabel(s.a, label), folderLabel(s.b, label));
    if (nB > 0 && nA === 0) throw oneSideOnly(nB, folderLabel(s.b, label), folderLabel(s.a, label));
  }
  if (splits.every((s) => s.a.images.length === 0)) {
    throw new StudioError(
      'invalid-payload',
      `Neither ${folderLabel(a, label)} nor ${folderLabel(b, label)} has any images.`,
    );
  }
  return splits;
}

function oneSideOnly(count: number, has: string, lacks: string, missingFolder = false): StudioError {
  if (count === 0) {
    return new StudioError(
      'invalid-payload',
      `Found the folder ${has} but no folder ${lacks}: a paired dataset needs both.`,
    );
  }
  return new StudioError(
    'invalid-payload',
    `Found ${count} image${count === 1 ? '' : 's'} in ${has} but ${missingFolder ? `no ${lacks} folder` : `none in ${lacks}`}. ` +
      `A paired dataset needs, for each image in ${has}, one with the same file name in ${lacks}.`,
  );
}
