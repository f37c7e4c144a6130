/** Runs a callback once, later: on the next animation frame in the browser. */
export type FrameScheduler = (run: () => void) => void;

/**
 * Collects items pushed at any rate and hands them over in one call per frame, so a burst of
 * live readings (hundreds of points a second) costs one render, not hundreds.
 */
export class FrameCoalescer<T> {
  private pending: T[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly schedule: FrameScheduler = nextFrame,
  ) {}

  push(items: readonly T[]): void {
    if (this.closed || items.length === 0) return;
    for (const item of items) this.pending.push(item);
    this.touch();
  }

  /** Asks for a flush (possibly with no items) on the next frame. */
  touch(): void {
    if (this.closed || this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.closed) return;
      const batch = this.pending;
      this.pending = [];
      this.flush(batch);
    });
  }

  close(): void {
    this.closed = true;
    this.pending = [];
  }
}

/**
 * requestAnimationFrame while the page is visible. A hidden tab gets no animation frames at all,
 * so there a timer takes over and the queue keeps draining instead of growing for hours.
 */
export const nextFrame: FrameScheduler = (run) => {
  if (typeof document !== 'undefined' && document.visibilityState === 'visible' && typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(() => run());
  } else {
    setTimeout(run, 250);
  }
};
