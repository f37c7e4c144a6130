import { Reading } from '@hallwatch/domain';

/** A history reading, and whether its point is a register (a cumulative point: its rollups spread each step over the quarters it spans). */
export interface PlannedReading extends Reading {
  register: boolean;
}

/**
 * The order the demo's history is loaded in (simulators/src/demo-start.ts), chunk by chunk, newest
 * first: each chunk then lands just before what is already stored, so the rollup pass it calls for
 * recomputes the chunk and one step into the next, never everything up to now. (Loaded oldest
 * first, every chunk's register step reached across to the live simulator's first reading: each
 * pass recomputed years of quarters, 46 s for one register on the embedded database.)
 *
 * A history with a hole (the baseline year, nothing for years, then the recent months) is loaded
 * so that no register step spans the hole (one such step is spread over every quarter of the years
 * between: 344,000 rollup rows, one pass of 46 s on the embedded database, for each register): the
 * older part's registers first, before the live simulator starts (`beforeLive`); then `horizon`,
 * where the older part's rollups become final, as a raw-retention horizon makes them, with no
 * anchor, so no step goes from the older part into the recent one; then the recent part, today
 * first (`afterLive`), and last the older part's other points (a gauge holds a value for an hour at
 * most: the hole costs it nothing).
 */
export interface HistoryLoadPlan {
  beforeLive: Reading[][];
  /** the older part's registers: their rollups are final before `purgedBefore` (the recent part's first tick); absent without a hole */
  horizon?: { pointIds: number[]; purgedBefore: number };
  afterLive: Reading[][];
}

/** A gap between two ticks longer than this is a hole (no page reads it; the schedule leaves years out). */
export const HOLE_MS = 24 * 3_600_000;

export function historyLoadPlan(readings: readonly PlannedReading[], chunkSize: number): HistoryLoadPlan {
  const times = [...new Set(readings.map((reading) => reading.ts))].sort((a, b) => a - b);
  let holeAfter: number | undefined;
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] > HOLE_MS) holeAfter = times[i - 1];
  if (holeAfter === undefined) return { beforeLive: [], afterLive: newestFirstChunks(readings, chunkSize) };
  const older = readings.filter((reading) => reading.ts <= holeAfter);
  const recent = readings.filter((reading) => reading.ts > holeAfter);
  const olderRegisters = older.filter((reading) => reading.register);
  return {
    beforeLive: newestFirstChunks(olderRegisters, chunkSize),
    horizon: {
      pointIds: [...new Set(olderRegisters.map((reading) => reading.pointId))].sort((a, b) => a - b),
      purgedBefore: Math.min(...recent.map((reading) => reading.ts)),
    },
    afterLive: [
      ...newestFirstChunks(recent, chunkSize),
      ...newestFirstChunks(
        older.filter((reading) => !reading.register),
        chunkSize,
      ),
    ],
  };
}

/** Chunks of about `size` readings, newest first, each cut at a tick (a tick's readings stay together), as plain readings. */
export function newestFirstChunks(readings: readonly PlannedReading[], size: number): Reading[][] {
  const sorted = [...readings].sort((a, b) => b.ts - a.ts);
  const chunks: Reading[][] = [];
  let chunk: Reading[] = [];
  for (const { pointId, ts, value, flags } of sorted) {
    if (chunk.length >= size && chunk[chunk.length - 1].ts !== ts) {
      chunks.push(chunk);
      chunk = [];
    }
    chunk.push({ pointId, ts, value, flags });
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
