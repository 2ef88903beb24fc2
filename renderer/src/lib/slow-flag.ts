/** How long requests run before the status line says "Updating…". */
export const SLOW_AFTER_MS = 400;

/**
 * Tracks requests in flight and raises a flag only once they have run for `delayMs` without a
 * break: live updates that answer quickly never flash a busy indicator (nor animate a spinner,
 * whose frames cost the CPU the updates need).
 */
export class SlowFlag {
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly show: (slow: boolean) => void,
    private readonly delayMs = SLOW_AFTER_MS,
  ) {}

  /** Counts `request` as in flight until it settles; returns a promise that settles as it does. */
  track<T>(request: Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.timer ??= setTimeout(() => this.show(true), this.delayMs);
    return request.finally(() => {
      this.inFlight -= 1;
      if (this.inFlight > 0) return;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.show(false);
    });
  }
}
