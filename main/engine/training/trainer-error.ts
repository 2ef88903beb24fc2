/**
 * The message a run's failure shows. WebAssembly's bare "Aborted()" (the wasm heap, capped at
 * 4 GiB, ran out) becomes a sentence that says what happened and what to change.
 */
export function trainerErrorMessage(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (/^(RuntimeError: )?Aborted\(/.test(message)) {
    return 'The wasm training backend ran out of memory (its heap is capped at 4 GiB). Train at a smaller size, with a smaller batch or fewer filters (ngf/ndf).';
  }
  return message;
}
