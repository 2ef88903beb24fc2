/**
 * Adds an event listener that may cancel the event (not passive, as wheel and touch listeners
 * otherwise can be) and returns the function that removes it.
 */
export function listen<K extends keyof HTMLElementEventMap>(
  element: HTMLElement,
  type: K,
  listener: (event: HTMLElementEventMap[K]) => void,
): () => void {
  element.addEventListener(type, listener, { passive: false });
  return () => element.removeEventListener(type, listener);
}
