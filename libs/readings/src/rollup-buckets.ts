import { bucketStart, Reading, RollupBucket } from '@hallwatch/domain';

export interface TouchedBuckets {
  pointIds: number[];
  /** epoch ms, bucket starts, parallel to pointIds */
  starts: number[];
}

/** The distinct (point, bucket) pairs a set of readings falls into, as parallel arrays for `unnest`. */
export function touchedBuckets(readings: readonly Pick<Reading, 'pointId' | 'ts'>[], bucket: RollupBucket): TouchedBuckets {
  const seen = new Set<string>();
  const touched: TouchedBuckets = { pointIds: [], starts: [] };
  for (const reading of readings) {
    const start = bucketStart(reading.ts, bucket);
    const key = `${reading.pointId}:${start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    touched.pointIds.push(reading.pointId);
    touched.starts.push(start);
  }
  return touched;
}
