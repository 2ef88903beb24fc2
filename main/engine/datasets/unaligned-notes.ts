import { SPLIT_NAMES, type SideImage, type SideSplit, type SplitName } from './dataset-report';

/** How many times larger one training side must be than the other for a note about sampling. */
export const UNEQUAL_RATIO = 2;

/** What the notes of an unaligned dataset are written from. */
export interface NoteFacts {
  splits: Record<SplitName, SideSplit>;
  /** The training folder of each side, as messages name it (`trainA/`). */
  names: { a: string; b: string };
  /** Every folder of each side that holds images, as messages name them (`trainA/, testA/`). */
  folders: { a: string; b: string };
  /** The folder of each side of each held-out split, as messages name it; absent when not there. */
  heldOut: Partial<Record<SplitName, { a: string; b: string }>>;
  /** Images held out as test per side when the dataset had no test split; null when none were. */
  carved: { a: number; b: number } | null;
}

/** Notes on an unaligned dataset: grayscale mixed with colour, unequal sides, one-sided held-out splits. */
export function unalignedNotes(facts: NoteFacts): string[] {
  return [grayscaleNote(facts), unequalNote(facts), ...heldOutNotes(facts), carvedNote(facts)].filter(
    (note): note is string => note !== null,
  );
}

function grayscaleNote({ splits, folders }: NoteFacts): string | null {
  const all = (side: 'a' | 'b'): SideImage[] => SPLIT_NAMES.flatMap((split) => splits[split][side]);
  const [a, b] = [all('a'), all('b')];
  const grayA = a.filter((image) => image.grayscale).length;
  const grayB = b.filter((image) => image.grayscale).length;
  if (grayA + grayB === 0 || (grayA === a.length && grayB === b.length)) return null;
  return (
    `Grayscale and colour images are mixed: ${grayA} of ${a.length} A images (${folders.a}) and ` +
    `${grayB} of ${b.length} B images (${folders.b}) are grayscale. Grayscale images are converted ` +
    `to 3 channels (the gray value in R, G and B) as they load, so both sides train as colour images.`
  );
}

function unequalNote({ splits, names }: NoteFacts): string | null {
  const [nA, nB] = [splits.train.a.length, splits.train.b.length];
  if (Math.max(nA, nB) < UNEQUAL_RATIO * Math.min(nA, nB)) return null;
  const counts = `${names.a} has ${nA} image${nA === 1 ? '' : 's'}, ${names.b} ${nB}`;
  const reference = 'with replacement, as the CycleGAN reference does';
  if (nA >= nB) {
    return (
      `${counts}: each epoch sees every A image once and B images drawn at random (${reference}), ` +
      `each B image about ${Math.round(nA / nB)} times.`
    );
  }
  return (
    `${counts}: an epoch is ${nB} steps, so it goes through the A images about ${Math.round(nB / nA)} ` +
    `times and draws B images at random (${reference}); some B images are not seen in a given epoch.`
  );
}

function heldOutNotes({ splits, heldOut }: NoteFacts): string[] {
  const notes: string[] = [];
  for (const split of ['val', 'test'] as const) {
    const folders = heldOut[split];
    if (folders === undefined) continue;
    const [nA, nB] = [splits[split].a.length, splits[split].b.length];
    if ((nA === 0) === (nB === 0)) continue;
    const [has, lacks, side] = nA > 0 ? [folders.a, folders.b, 'B'] : [folders.b, folders.a, 'A'];
    const n = Math.max(nA, nB);
    notes.push(
      `${has} has ${n} usable image${n === 1 ? '' : 's'} but ${lacks} has none, so held-out ${side} images ` +
        `(for the validation strip) come from another split.`,
    );
  }
  return notes;
}

function carvedNote({ carved }: NoteFacts): string | null {
  if (carved === null) return null;
  return (
    `Neither folder has a test split, so ${carved.a} A and ${carved.b} B images were held out as test ` +
    `(the same ones for the same seed); the rest train.`
  );
}
