import type { LiveReading } from '@hallwatch/domain';
import { FrameCoalescer, FrameScheduler, nextFrame } from './frame-coalescer';
import { MIN_SEEN_INTERVAL_MS, type PointClock } from './point-freshness';

export interface LatestValue {
  ts: number;
  value: number;
  /** Only on a value its source marked uncertain. */
  quality?: 'uncertain';
}

export type FlushListener = (readings: readonly LiveReading[]) => void;

export const valueKey = (asset: string, point: string) => `${asset}/${point}`;

/**
 * The newest value of every point of the subscribed site, fed by the live stream (and seeded from
 * the REST API). Listeners hear about changes at most once per animation frame, with every live
 * reading that arrived since the previous frame, in arrival order.
 */
export class LiveStore {
  private readonly values = new Map<string, LatestValue>();
  private readonly listeners = new Set<FlushListener>();
  private readonly coalescer: FrameCoalescer<LiveReading>;
  /** Device time of the newest live value, for the connection's "last value … ago". */
  private newestTs: number | null = null;
  /** Per point heard live: its newest reading's device time and the step before it (its cadence on the stream). */
  private readonly liveClocks = new Map<string, { newestTs: number; seenStepMs: number | null }>();

  /** `expectedIntervalsMs`: the registry's expected interval of points that declare one, by valueKey. */
  constructor(
    readonly site: string,
    schedule: FrameScheduler = nextFrame,
    private readonly expectedIntervalsMs: ReadonlyMap<string, number> = new Map(),
  ) {
    this.coalescer = new FrameCoalescer((batch) => this.listeners.forEach((listener) => listener(batch)), schedule);
  }

  /** Readings from the live stream. Readings of other sites are ignored. */
  apply(batch: readonly LiveReading[]): void {
    const accepted: LiveReading[] = [];
    for (const reading of batch) {
      if (reading.site !== this.site || !Number.isFinite(reading.ts) || typeof reading.value !== 'number') continue;
      this.remember(reading.asset, reading.point, { ts: reading.ts, value: reading.value, quality: reading.quality });
      this.clock(valueKey(reading.asset, reading.point), reading.ts);
      if (this.newestTs === null || reading.ts > this.newestTs) this.newestTs = reading.ts;
      accepted.push(reading);
    }
    this.coalescer.push(accepted);
  }

  /**
   * A value read from the REST API: kept unless the store already holds a newer one. Listeners
   * are told that values changed, but seeds are not live readings and are not in the batch.
   */
  seed(asset: string, point: string, latest: LatestValue): void {
    if (this.remember(asset, point, latest)) this.coalescer.touch();
  }

  get(asset: string, point: string): LatestValue | undefined {
    return this.values.get(valueKey(asset, point));
  }

  value(asset: string | undefined, point: string): number | null {
    if (!asset) return null;
    return this.values.get(valueKey(asset, point))?.value ?? null;
  }

  /** Whether the point's newest value is one its source marked uncertain. */
  uncertain(asset: string | undefined, point: string | null): boolean {
    if (!asset || point === null) return false;
    return this.values.get(valueKey(asset, point))?.quality === 'uncertain';
  }

  get newestLiveTs(): number | null {
    return this.newestTs;
  }

  /** Every point heard live, with its newest timestamp and expected interval (registry first, else the cadence seen). */
  pointClocks(): PointClock[] {
    return [...this.liveClocks].map(([key, clock]) => ({
      newestTs: clock.newestTs,
      intervalMs:
        this.expectedIntervalsMs.get(key) ?? (clock.seenStepMs === null ? null : Math.max(clock.seenStepMs, MIN_SEEN_INTERVAL_MS)),
    }));
  }

  subscribe(listener: FlushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.coalescer.close();
    this.listeners.clear();
  }

  /** Only a reading newer than the point's newest moves its clock: an old one (a back-fill) says nothing about now. */
  private clock(key: string, ts: number): void {
    const known = this.liveClocks.get(key);
    if (!known) this.liveClocks.set(key, { newestTs: ts, seenStepMs: null });
    else if (ts > known.newestTs) this.liveClocks.set(key, { newestTs: ts, seenStepMs: ts - known.newestTs });
  }

  private remember(asset: string, point: string, { ts, value, quality }: LatestValue): boolean {
    const key = valueKey(asset, point);
    const known = this.values.get(key);
    if (known && known.ts > ts) return false;
    this.values.set(key, quality === 'uncertain' ? { ts, value, quality } : { ts, value });
    return true;
  }
}
