import { Reading } from '@hallwatch/domain';

/** Where a point's rollups may have changed: its new readings lie in [from, to] (epoch ms). */
export interface InvalidatedSpan {
  pointId: number;
  from: number;
  to: number;
}

/**
 * Readings of one point closer together than this share one logged span; farther apart (a late
 * reading beside live ones) they get spans of their own, so the refresher does not recompute the
 * whole time between them.
 */
const SPAN_JOIN_MS = 60 * 60_000;

/** The spans a batch of stored readings invalidated, per point. */
export function invalidatedSpans(readings: readonly Pick<Reading, 'pointId' | 'ts'>[]): InvalidatedSpan[] {
  const byPoint = new Map<number, number[]>();
  for (const { pointId, ts } of readings) {
    const list = byPoint.get(pointId);
    if (list) list.push(ts);
    else byPoint.set(pointId, [ts]);
  }
  const spans: InvalidatedSpan[] = [];
  for (const [pointId, times] of byPoint) {
    times.sort((a, b) => a - b);
    let span: InvalidatedSpan = { pointId, from: times[0], to: times[0] };
    for (const ts of times.slice(1)) {
      if (ts - span.to <= SPAN_JOIN_MS) span.to = ts;
      else {
        spans.push(span);
        span = { pointId, from: ts, to: ts };
      }
    }
    spans.push(span);
  }
  return spans;
}

/** Overlapping or touching spans of the same point become one; the result is sorted by point and time. */
export function mergeSpans(spans: readonly InvalidatedSpan[]): InvalidatedSpan[] {
  const sorted = [...spans].sort((a, b) => a.pointId - b.pointId || a.from - b.from);
  const merged: InvalidatedSpan[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && last.pointId === span.pointId && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}
