import { BUCKET_MS, type Bucket, type LiveReading } from '@hallwatch/domain';
import type { RawReading } from '../api/api-types';
import type { PointAddress } from '../api/api-client';
import type { LatestValue } from '../live/live-store';
import { alignColumns, type LineColumns } from './chart-data';
import { LiveSeries, type SeriesBucket, type SeriesRow } from './live-series';

export interface TrendLineSpec {
  label: string;
  color: string;
  /** The point charted, or several points summed (the chillers' kW into the plant's). */
  refs: readonly PointAddress[];
  /** When given, live readings are also drawn raw for the last minutes under this label. */
  tailLabel?: string;
  /** History from this long ago drawn over the present (the baseline year's same weekday); it takes no live readings. */
  shiftMs?: number;
}

export interface TrendSpec {
  bucket: Bucket;
  spanMs: number;
  /** The site's time zone, which hourly and daily buckets follow. */
  zone: string;
  lines: readonly TrendLineSpec[];
}

export interface ChartSeries {
  label: string;
  color: string;
  tail: boolean;
}

export type LineHistory =
  { bucket: 'raw'; rows: readonly RawReading[] } | { bucket: Exclude<Bucket, 'raw'>; rows: readonly SeriesBucket[] };

/** How far back the raw live tail reaches: a little more than one 15-minute bucket. */
export const TAIL_SPAN_MS = 20 * 60_000;
const RAW_GAP_MS = 5 * 60_000;
const TAIL_GAP_MS = 2 * 60_000;
const MAX_WAITING = 50_000;

interface LineState {
  spec: TrendLineSpec;
  series: LiveSeries;
  tail: LiveSeries | null;
}

/**
 * The data behind one chart: history per line from the API, extended by live readings, and
 * handed to the chart as aligned columns. Holds no DOM and knows nothing of uPlot.
 */
export class TrendModel {
  private readonly lines: LineState[];
  private readonly listeners = new Set<() => void>();
  /** Live readings (line, ts, value) held while history loads; null once it has. */
  private waiting: Array<[number, number, number]> | null = [];

  constructor(readonly spec: TrendSpec) {
    this.lines = spec.lines.map((line) => ({
      spec: line,
      series: new LiveSeries(spec.bucket, spec.spanMs, spec.zone),
      tail: line.tailLabel ? new LiveSeries('raw', TAIL_SPAN_MS, spec.zone) : null,
    }));
  }

  /** History is being fetched: live readings wait, so none that arrive meanwhile are lost. */
  beginLoad(): void {
    this.waiting = [];
  }

  /** Replaces the history, one entry per line; live readings stamped before `loadedUntil` are then skipped. */
  load(histories: readonly LineHistory[], loadedUntil: number): void {
    this.lines.forEach((line, i) => {
      const history = histories[i];
      if (!history) line.series.clear();
      else if (history.bucket === 'raw') line.series.loadRaw(history.rows, loadedUntil);
      else line.series.loadBuckets(history.rows, loadedUntil);
    });
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const [index, ts, value] of waiting) this.push(index, ts, value);
    this.notify();
  }

  /** Folds a frame's live readings in. Returns whether any line changed. */
  applyLive(readings: readonly LiveReading[], latest: (asset: string, point: string) => LatestValue | undefined): boolean {
    let changed = false;
    this.lines.forEach((line, index) => {
      const refs = line.spec.refs;
      if (line.spec.shiftMs) return;
      if (refs.length === 1) {
        for (const reading of readings) {
          if (reading.asset === refs[0].asset && reading.point === refs[0].point)
            changed = this.push(index, reading.ts, reading.value) || changed;
        }
        return;
      }
      let newestTs: number | null = null;
      for (const reading of readings) {
        if (refs.some((ref) => ref.asset === reading.asset && ref.point === reading.point)) {
          newestTs = Math.max(newestTs ?? reading.ts, reading.ts);
        }
      }
      if (newestTs === null) return;
      let sum: number | null = null;
      for (const ref of refs) {
        const value = latest(ref.asset, ref.point);
        if (value) sum = (sum ?? 0) + value.value;
      }
      if (sum !== null) changed = this.push(index, newestTs, sum) || changed;
    });
    return changed;
  }

  private push(index: number, ts: number, value: number): boolean {
    if (this.waiting) {
      if (this.waiting.length < MAX_WAITING) this.waiting.push([index, ts, value]);
      return false;
    }
    const line = this.lines[index];
    line.tail?.push(ts, value);
    return line.series.push(ts, value);
  }

  trim(now: number): void {
    for (const line of this.lines) {
      line.series.trim(now);
      line.tail?.trim(now);
    }
  }

  series(): ChartSeries[] {
    return this.lines.flatMap((line) => [
      { label: line.spec.label, color: line.spec.color, tail: false },
      ...(line.tail ? [{ label: line.spec.tailLabel ?? line.spec.label, color: line.spec.color, tail: true }] : []),
    ]);
  }

  /** uPlot's aligned data: x in seconds, one column per series() entry; null marks a gap in the data. */
  columns(): ReturnType<typeof alignColumns> {
    const gap = this.gapMs();
    return alignColumns(
      this.lines.flatMap((line) => [withGaps(line.series.rows(), gap), ...(line.tail ? [withGaps(line.tail.rows(), TAIL_GAP_MS)] : [])]),
    );
  }

  /** How many times line `index` is broken for missing data: its history's gaps longer than the bucket allows. */
  gapCount(index: number): number {
    const line = this.lines[index];
    return line ? withGaps(line.series.rows(), this.gapMs()).ys.filter((value) => value === null).length : 0;
  }

  /** Consecutive points further apart than this are a gap: more than one and a half buckets. */
  private gapMs(): number {
    return this.spec.bucket === 'raw' ? RAW_GAP_MS : 1.5 * BUCKET_MS[this.spec.bucket];
  }

  /** What line `index` shows, row by row (for the CSV download). */
  rows(index: number): SeriesRow[] {
    return this.lines[index]?.series.rows() ?? [];
  }

  /** The newest value of line `index`: the live tail's if it has one, else the history's. */
  latest(index: number): SeriesRow | undefined {
    const line = this.lines[index];
    return line?.tail?.last() ?? line?.series.last();
  }

  get isEmpty(): boolean {
    return this.lines.every((line) => line.series.length === 0 && (line.tail?.length ?? 0) === 0);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    this.listeners.forEach((listener) => listener());
  }
}

/** A line's columns with a null between points further apart than `gapMs`, so the chart shows the gap. */
export function withGaps(rows: readonly SeriesRow[], gapMs: number): LineColumns {
  const xs: number[] = [];
  const ys: Array<number | null> = [];
  rows.forEach((row, i) => {
    const previous = rows[i - 1];
    if (previous && row.ts - previous.ts > gapMs) {
      xs.push(previous.ts + 1);
      ys.push(null);
    }
    xs.push(row.ts);
    ys.push(row.value);
  });
  return { xs, ys };
}
