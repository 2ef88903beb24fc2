/** Whether the focus is where a key belongs to the canvas rather than to a control. */
export function canvasFocused(): boolean {
  const focused = document.activeElement;
  return !focused || focused === document.body || !!focused.closest('[data-testid="canvas.stage"]');
}

/** Whether a key press goes into a field that takes text (a range slider does not). */
export function typing(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && target.type !== 'range';
}
