/** State that runs calls to main one at a time, showing what is busy and the last error's message. */
export class BusyState {
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  /** Runs `work`, showing `busy` meanwhile and its error's message instead of throwing. */
  protected async attempt(work: () => Promise<void>, busy?: string): Promise<void> {
    if (busy) this.busy = busy;
    this.error = null;
    try {
      await work();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      if (busy) this.busy = null;
    }
  }
}
