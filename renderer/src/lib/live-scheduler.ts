/** How a live scheduler waits and what it calls. */
export interface LiveSchedulerOptions<I, O> {
  /** Reads the newest input; called only when a request goes out. */
  capture: () => I;
  /** The request: one at a time, except that `preempt` sends while one is in flight. */
  run: (input: I) => Promise<O>;
  /** A result of the input as it stood at `revision`; never older than one shown or sent since. */
  onResult: (output: O, revision: number) => void;
  /** A request that failed (unless a newer one went out meanwhile); the scheduler carries on. */
  onError: (error: unknown, revision: number) => void;
  /** Quiet time after the last change before a request goes out. */
  debounceMs?: number;
  /** The longest a stream of changes (a long stroke) waits before a request goes out anyway. */
  maxWaitMs?: number;
  /** The clock; `Date.now` unless told (fake timers move it too). */
  now?: () => number;
}

/** Quiet time after the last change, as the live canvas uses it. */
export const LIVE_DEBOUNCE_MS = 70;
/** How often a long stroke sends its drawing so far. */
export const LIVE_MAX_WAIT_MS = 150;

/**
 * Sends the newest state of something that changes fast (a drawing) to a slow call, latest wins:
 * changes are debounced, one request is in flight at a time, a change made meanwhile goes out as
 * the newest input when the request returns, and a result older than one shown is dropped. At
 * the end of a stroke `preempt` sends at once even while a request is in flight (the callee
 * runs it beside the older one, ahead of it), and the older one's result or failure is dropped:
 * showing a stroke half drawn would only take time from showing it whole.
 */
export class LiveScheduler<I, O> {
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private revision = 0;
  private sentRevision = 0;
  /** Bumped by `invalidate` and `dispose`: results of earlier requests are dropped. */
  private epoch = 0;
  /** Requests sent and not yet settled. */
  private inFlight = 0;
  /** The wait ended while a request was in flight: send when it returns. */
  private due = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstPendingAt: number | null = null;
  private disposed = false;

  constructor(private readonly options: LiveSchedulerOptions<I, O>) {
    this.debounceMs = options.debounceMs ?? LIVE_DEBOUNCE_MS;
    this.maxWaitMs = options.maxWaitMs ?? LIVE_MAX_WAIT_MS;
    this.now = options.now ?? Date.now;
  }

  /** The input changed; returns the revision that names this change. */
  changed(): number {
    if (this.disposed) return this.revision;
    this.revision += 1;
    const now = this.now();
    this.firstPendingAt ??= now;
    const waited = now - this.firstPendingAt;
    this.wait(Math.max(0, Math.min(this.debounceMs, this.maxWaitMs - waited)));
    return this.revision;
  }

  /** Sends the newest input as soon as no request is in flight (a new page, a new model). */
  flush(): number {
    if (this.disposed) return this.revision;
    this.revision += 1;
    this.firstPendingAt ??= this.now();
    this.wait(0);
    return this.revision;
  }

  /**
   * Sends the newest input now as a request of its own, even while a request is in flight (a
   * stroke ended: its result should not wait for an update sent halfway through it, which may
   * run at a lower priority). Returns the revision it sent.
   */
  preempt(): number {
    if (this.disposed) return this.revision;
    this.revision += 1;
    this.clearTimer();
    this.due = false;
    this.send();
    return this.revision;
  }

  /** What the results so far were computed with is gone (another model): drop them and send again. */
  invalidate(): number {
    this.epoch += 1;
    return this.flush();
  }

  /** Stops the timers and drops every result still to come. */
  dispose(): void {
    this.disposed = true;
    this.epoch += 1;
    this.clearTimer();
  }

  /** The newest change's revision. */
  get latest(): number {
    return this.revision;
  }

  /** Whether a request is in flight. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  private wait(ms: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.inFlight > 0) this.due = true;
      else this.send();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private send(): void {
    if (this.disposed || this.revision === this.sentRevision) return;
    const revision = this.revision;
    const epoch = this.epoch;
    this.sentRevision = revision;
    this.firstPendingAt = null;
    this.inFlight += 1;
    let request: Promise<O>;
    try {
      request = this.options.run(this.options.capture());
    } catch (error) {
      request = Promise.reject(error);
    }
    // Only the newest request of this epoch counts: any older one was replaced while it ran.
    const newest = (): boolean => epoch === this.epoch && revision === this.sentRevision;
    request
      .then(
        (output) => {
          if (newest()) this.options.onResult(output, revision);
        },
        (error: unknown) => {
          if (newest()) this.options.onError(error, revision);
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        if (this.disposed || this.inFlight > 0) return;
        if (this.due || (this.revision > this.sentRevision && this.timer === null)) {
          this.due = false;
          this.send();
        }
      });
  }
}
