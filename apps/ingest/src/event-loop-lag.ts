import { performance } from 'node:perf_hooks';

/** How often the probe's timer is due. */
const PROBE_MS = 10;

/**
 * How late the event loop runs, measured the plain way: a timer due every few milliseconds notes
 * how much later than due it ran. A late timer means everything else waiting on the loop (a live
 * reading's socket data) waited as long.
 */
export class EventLoopLag {
  private timer?: NodeJS.Timeout;
  private due = 0;
  /** Until when the loop counts as late (performance.now() time). */
  private lateUntil = 0;

  constructor(private readonly lateAfterMs: number) {}

  start(): void {
    if (this.timer) return;
    this.due = performance.now() + PROBE_MS;
    this.timer = setInterval(() => this.probe(), PROBE_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether the loop ran late within the last few probes: work that can wait should. */
  get late(): boolean {
    return performance.now() < this.lateUntil;
  }

  /** Resolves at the next probe: by then the loop has polled for I/O at least once. */
  nextProbe(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, PROBE_MS).unref());
  }

  private probe(): void {
    const now = performance.now();
    const lagMs = now - this.due;
    this.due = now + PROBE_MS;
    // Late once, the loop is taken as busy for a few more probes: what piled up meanwhile is handled first.
    if (lagMs > this.lateAfterMs) this.lateUntil = now + 3 * PROBE_MS;
  }
}
