/**
 * Whether the live stream is keeping up, decided per point from the newest reading's own timestamp
 * (device time, never the time it arrived: a back-fill delivering old readings must not look live).
 */
export interface PointClock {
  /** Device time of the point's newest live reading. */
  newestTs: number;
  /** The point's expected interval: the registry's `expectedIntervalSeconds`, else its cadence seen on the stream; null when neither is known. */
  intervalMs: number | null;
}

/** For a point with neither a registry interval nor a seen cadence: meters report every 1-15 s, registers up to a minute. */
export const FALLBACK_INTERVAL_MS = 30_000;

/**
 * A cadence seen on the stream is taken as at least this: readings bunch up in the socket's frames
 * and in gateways' batches, so a step of a fraction of a second is not the meter's interval. The
 * registry's `expectedIntervalSeconds` is used as it is.
 */
export const MIN_SEEN_INTERVAL_MS = 5000;

/** A point is overdue when nothing newer than twice its expected interval has come. */
export const OVERDUE_INTERVALS = 2;

export function isOverdue(point: PointClock, now: number): boolean {
  return now - point.newestTs > OVERDUE_INTERVALS * (point.intervalMs ?? FALLBACK_INTERVAL_MS);
}

/**
 * The stream is stale when at least half of the points heard live are overdue: the broker, ingest
 * or the socket has stopped (or fallen behind), not one meter. One dead meter among many does not
 * turn the whole building's badge; a building of one or two points turns with its first.
 */
export function streamIsStale(points: readonly PointClock[], now: number): boolean {
  if (points.length === 0) return false;
  const overdue = points.filter((point) => isOverdue(point, now)).length;
  return overdue * 2 >= points.length;
}
