import type { LinkState } from './live-client';
import { FALLBACK_INTERVAL_MS, OVERDUE_INTERVALS, streamIsStale, type PointClock } from './point-freshness';

export type ConnectionKind = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'unauthorised' | 'refused';

export interface ConnectionView {
  kind: ConnectionKind;
  /** Age of the newest live value (ms), when there is one. */
  ageMs: number | null;
}

/** Connected without a first value for this long is "stale". */
export const FIRST_VALUE_WAIT_MS = OVERDUE_INTERVALS * FALLBACK_INTERVAL_MS;

/**
 * What the connection indicator shows: the state of the socket, and whether values still arrive.
 * Connected is "stale" once most points are overdue (point-freshness.ts): twice each point's
 * expected interval after its newest reading's timestamp.
 */
export function connectionView(link: LinkState, points: readonly PointClock[], now: number): ConnectionView {
  const newestTs = points.reduce<number | null>(
    (newest, point) => (newest === null || point.newestTs > newest ? point.newestTs : newest),
    null,
  );
  const ageMs = newestTs === null ? null : Math.max(0, now - newestTs);
  if (link.status !== 'live') return { kind: link.status, ageMs };
  if (points.length === 0) return { kind: now - link.since > FIRST_VALUE_WAIT_MS ? 'stale' : 'live', ageMs };
  return { kind: streamIsStale(points, now) ? 'stale' : 'live', ageMs };
}
