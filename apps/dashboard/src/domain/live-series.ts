import { BUCKET_MS, bucketStart, type Bucket } from '@hallwatch/domain';
import type { BucketReading } from '../api/api-types';

/** What a series needs of a rollup bucket (the server's min and max are null in a bucket without readings). */
export type SeriesBucket = Pick<BucketReading, 'ts' | 'count' | 'sum' | 'min' | 'max'>;

/** One point of a series: a raw reading (count 1) or a bucket (ts = its start). */
export interface SeriesRow {
  ts: number;
  value: number;
  min: number;
  max: number;
  count: number;
}

interface Slot {
  ts: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

/**
 * A time series loaded from the API and extended by live readings: raw readings are appended,
 * bucketed series fold each reading into the running bucket (whose count and sum came from the
 * server), so a chart's live edge moves without refetching. Points older than the span are
 * dropped; memory stays bounded however long the page stays open.
 */
export class LiveSeries {
  private slots: Slot[] = [];
  /** Live readings before this were already in the loaded history. */
  private liveFrom = -Infinity;

  constructor(
    readonly bucket: Bucket,
    readonly spanMs: number,
    /** The site's time zone: hourly and daily buckets are its local hours and days, as the server's rollups. */
    readonly zone: string,
  ) {}

  loadRaw(rows: ReadonlyArray<{ ts: number; value: number }>, loadedUntil: number): void {
    this.slots = rows.map(({ ts, value }) => ({ ts, sum: value, count: 1, min: value, max: value })).sort((a, b) => a.ts - b.ts);
    this.liveFrom = loadedUntil;
  }

  loadBuckets(rows: readonly SeriesBucket[], loadedUntil: number): void {
    this.slots = rows
      .flatMap(({ ts, sum, count, min, max }) => (count > 0 && min !== null && max !== null ? [{ ts, sum, count, min, max }] : []))
      .sort((a, b) => a.ts - b.ts);
    this.liveFrom = loadedUntil;
  }

  clear(): void {
    this.slots = [];
    this.liveFrom = -Infinity;
  }

  /** Adds a live reading. Returns whether the series changed. */
  push(ts: number, value: number): boolean {
    if (ts < this.liveFrom || !Number.isFinite(value)) return false;
    if (this.bucket === 'raw') {
      this.upsert(ts, (slot) => Object.assign(slot, { sum: value, count: 1, min: value, max: value }), value);
    } else {
      this.upsert(
        bucketStart(ts, this.bucket, this.zone),
        (slot) =>
          Object.assign(slot, {
            sum: slot.sum + value,
            count: slot.count + 1,
            min: Math.min(slot.min, value),
            max: Math.max(slot.max, value),
          }),
        value,
      );
    }
    return true;
  }

  /** Drops what has left the window ending at `now`. */
  trim(now: number): void {
    const width = this.bucket === 'raw' ? 0 : BUCKET_MS[this.bucket];
    const from = now - this.spanMs;
    let drop = 0;
    while (drop < this.slots.length && this.slots[drop].ts + width < from) drop++;
    if (drop > 0) this.slots = this.slots.slice(drop);
  }

  get length(): number {
    return this.slots.length;
  }

  rows(): SeriesRow[] {
    return this.slots.map(({ ts, sum, count, min, max }) => ({ ts, value: sum / count, min, max, count }));
  }

  last(): SeriesRow | undefined {
    const slot = this.slots[this.slots.length - 1];
    return slot && { ts: slot.ts, value: slot.sum / slot.count, min: slot.min, max: slot.max, count: slot.count };
  }

  private upsert(ts: number, update: (slot: Slot) => void, value: number): void {
    const slots = this.slots;
    // Live readings nearly always land at the end; search backwards.
    let i = slots.length - 1;
    while (i >= 0 && slots[i].ts > ts) i--;
    if (i >= 0 && slots[i].ts === ts) {
      update(slots[i]);
      return;
    }
    slots.splice(i + 1, 0, { ts, sum: value, count: 1, min: value, max: value });
  }
}

/**
 * Sums several bucketed series (the chillers' kW into plant kW) at each bucket. A bucket gets the
 * sum of the means of the series that have it; its count is the largest count, so live sums
 * folded in later weigh like one more sample each.
 */
export function sumBuckets(
  lists: ReadonlyArray<ReadonlyArray<Pick<BucketReading, 'ts' | 'mean' | 'count'>>>,
): Array<SeriesBucket & { mean: number }> {
  const byTs = new Map<number, { mean: number; count: number }>();
  for (const list of lists) {
    for (const row of list) {
      if (row.count === 0 || row.mean === null) continue;
      const known = byTs.get(row.ts) ?? { mean: 0, count: 0 };
      byTs.set(row.ts, { mean: known.mean + row.mean, count: Math.max(known.count, row.count) });
    }
  }
  return [...byTs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ts, { mean, count }]) => ({ ts, mean, min: mean, max: mean, count, sum: mean * count }));
}
