import { describe, expect, it } from 'vitest';
import { EditHistory, HISTORY_LIMIT, historyLimitFor } from './edit-history';

describe('edit history', () => {
  it('undoes and redoes in order, and a new edit drops the redo branch', () => {
    const history = new EditHistory<string>();
    let state = 'a';
    const edit = (next: string): void => {
      history.record(state);
      state = next;
    };
    edit('b');
    edit('c');
    state = history.undo(state) ?? state;
    expect(state).toBe('b');
    state = history.undo(state) ?? state;
    expect(state).toBe('a');
    expect(history.undo(state)).toBeNull();
    state = history.redo(state) ?? state;
    expect(state).toBe('b');
    edit('d');
    expect(history.redo(state)).toBeNull();
    expect(history.undo(state)).toBe('b');
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const history = new EditHistory<number>();
    for (let i = 0; i < HISTORY_LIMIT + 10; i += 1) history.record(i);
    expect(history.undoCount).toBe(HISTORY_LIMIT);
    let current = -1;
    let last = current;
    for (let previous = history.undo(current); previous !== null; previous = history.undo(current)) {
      current = previous;
      last = previous;
    }
    expect(last).toBe(10);
    expect(history.redoCount).toBe(HISTORY_LIMIT);
    history.clear();
    expect(history.undoCount + history.redoCount).toBe(0);
  });

  it('keeps fewer steps of huge masks', () => {
    expect(historyLimitFor(1024, 768)).toBe(HISTORY_LIMIT);
    expect(historyLimitFor(8192, 8192)).toBe(32);
    expect(historyLimitFor(1e6, 1e6)).toBe(4);
  });
});
