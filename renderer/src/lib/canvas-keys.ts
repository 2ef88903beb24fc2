/** A canvas action a key press asks for. */
export type CanvasCommand =
  | 'brush'
  | 'eraser'
  | 'hand'
  | 'line'
  | 'bucket'
  | 'smaller'
  | 'larger'
  | 'undo'
  | 'redo'
  | 'zoom-in'
  | 'zoom-out'
  | 'fit'
  | 'fill';

/** The parts of a key event the canvas shortcuts look at. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

const PLAIN: Record<string, CanvasCommand> = {
  b: 'brush',
  e: 'eraser',
  h: 'hand',
  l: 'line',
  g: 'bucket',
  '[': 'smaller',
  ']': 'larger',
  '+': 'zoom-in',
  '=': 'zoom-in',
  '-': 'zoom-out',
  '0': 'fit',
  f: 'fill',
  Enter: 'fill',
};

/**
 * The command of a key press: B, E, H, L (line), G (paint bucket) pick tools; [ and ] size the brush; + − 0 zoom; F or Enter
 * fill; Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (⌘ for Ctrl on a Mac). Null for other keys.
 */
export function canvasCommand(press: KeyPress): CanvasCommand | null {
  if (press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    return null;
  }
  return PLAIN[key] ?? null;
}
