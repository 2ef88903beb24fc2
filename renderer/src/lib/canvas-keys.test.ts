import { describe, expect, it } from 'vitest';
import { canvasCommand, type KeyPress } from './canvas-keys';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('canvas shortcuts', () => {
  it('map tools, brush size, zoom and fill', () => {
    expect(canvasCommand(press('b'))).toBe('brush');
    expect(canvasCommand(press('E', { shiftKey: true }))).toBe('eraser');
    expect(canvasCommand(press('l'))).toBe('line');
    expect(canvasCommand(press('g'))).toBe('bucket');
    expect(canvasCommand(press('['))).toBe('smaller');
    expect(canvasCommand(press(']'))).toBe('larger');
    expect(canvasCommand(press('+', { shiftKey: true }))).toBe('zoom-in');
    expect(canvasCommand(press('-'))).toBe('zoom-out');
    expect(canvasCommand(press('0'))).toBe('fit');
    expect(canvasCommand(press('f'))).toBe('fill');
    expect(canvasCommand(press('Enter'))).toBe('fill');
  });

  it('undo with Ctrl+Z, redo with Ctrl+Shift+Z or Ctrl+Y (⌘ too), and leave other chords alone', () => {
    expect(canvasCommand(press('z', { ctrlKey: true }))).toBe('undo');
    expect(canvasCommand(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(canvasCommand(press('y', { ctrlKey: true }))).toBe('redo');
    expect(canvasCommand(press('z', { metaKey: true }))).toBe('undo');
    expect(canvasCommand(press('b', { ctrlKey: true }))).toBeNull();
    expect(canvasCommand(press('f', { altKey: true }))).toBeNull();
    expect(canvasCommand(press('q'))).toBeNull();
  });
});
