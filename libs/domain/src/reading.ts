/** Bit flags stored with every reading. */
export const ReadingFlags = {
  none: 0,
  /** The device sent no timestamp: the time is when Hallwatch received it. */
  receiveTime: 1 << 0,
  /** Computed on ingest from other points (a derived point's expression). */
  derived: 1 << 1,
  /** The device's value is not exactly representable as a double (a 64-bit integer past 2^53): the nearest number was stored. */
  inexact: 1 << 2,
  /** The source said the value is uncertain (OPC UA status Uncertain*, Sparkplug quality 64): stored and shown as such. */
  uncertain: 1 << 3,
  /** A person corrected the value (reading_corrections keeps the original). */
  corrected: 1 << 4,
} as const;

/** What a stored reading's flags say of its quality: bad values are never stored. */
export type ReadingQuality = 'good' | 'uncertain';

export function readingQuality(flags: number): ReadingQuality {
  return flags & ReadingFlags.uncertain ? 'uncertain' : 'good';
}

/** A reading as it travels from a collector to the store and the live stream. */
export interface Reading {
  pointId: number;
  /** epoch milliseconds */
  ts: number;
  value: number;
  flags: number;
}

/** What the live stream carries: keys, not ids, so clients need no lookup. */
export interface LiveReading {
  site: string;
  asset: string;
  point: string;
  ts: number;
  value: number;
  /** Only on a value the source marked uncertain: a good one, nearly every reading, carries nothing, so the stream stays small. */
  quality?: 'uncertain';
}

/** A stored reading as the live stream carries it, at its point's keys. */
export function liveReading(
  at: { site: string; asset: string; point: string },
  reading: Pick<Reading, 'ts' | 'value' | 'flags'>,
): LiveReading {
  const live: LiveReading = { site: at.site, asset: at.asset, point: at.point, ts: reading.ts, value: reading.value };
  if (readingQuality(reading.flags) === 'uncertain') live.quality = 'uncertain';
  return live;
}
