/** How many steps back the canvas can undo. */
export const HISTORY_LIMIT = 50;

/** The memory the undo history of a mask may hold; huge images get fewer steps. */
export const HISTORY_BYTES = 256 * 1024 * 1024;

/** How many steps back a `width`×`height` mask (a bit per pixel per step) can undo: 50, fewer when huge. */
export function historyLimitFor(width: number, height: number): number {
  return historyLimitForBytes(Math.ceil((width * height) / 8));
}

/** How many steps back a history of `bytes` per step can undo: 50, fewer when each step is huge. */
export function historyLimitForBytes(bytes: number): number {
  return Math.max(4, Math.min(HISTORY_LIMIT, Math.floor(HISTORY_BYTES / Math.max(1, bytes))));
}

/**
 * A bounded undo/redo history of snapshots. The owner records the state before each edit; undo
 * hands back the state to restore and keeps the current one for redo.
 */
export class EditHistory<T> {
  private past: T[] = [];
  private future: T[] = [];

  constructor(readonly limit = HISTORY_LIMIT) {}

  /** Remembers `before`, the state an edit is about to change; a new edit drops what could be redone. */
  record(before: T): void {
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /** The state before the last edit, or null; `current` becomes redoable. */
  undo(current: T): T | null {
    const previous = this.past.pop();
    if (previous === undefined) return null;
    this.future.push(current);
    return previous;
  }

  /** The state the last undo left, or null; `current` becomes undoable again. */
  redo(current: T): T | null {
    const next = this.future.pop();
    if (next === undefined) return null;
    this.past.push(current);
    return next;
  }

  /** Forgets everything (a new image starts a new history). */
  clear(): void {
    this.past = [];
    this.future = [];
  }

  get undoCount(): number {
    return this.past.length;
  }

  get redoCount(): number {
    return this.future.length;
  }
}
