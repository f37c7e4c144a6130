/** Rollup widths offered by the API. `raw` reads the readings themselves. */
export const BUCKETS = ['raw', '15m', '1h', '1d'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type RollupBucket = Exclude<Bucket, 'raw'>;

export const BUCKET_MS: Record<RollupBucket, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
};

/**
 * Buckets are aligned to Taiwan local time (UTC+8, no daylight saving), so a `1d` bucket is a
 * Taipei calendar day, as the city hall reports it. Every bucket is stamped at its start.
 */
export const BUCKET_ORIGIN_MS = Date.parse('2000-01-01T00:00:00+08:00');
export const BUCKET_ORIGIN_SQL = '2000-01-01 00:00:00+08';

export function bucketStart(ts: number, bucket: RollupBucket): number {
  const width = BUCKET_MS[bucket];
  return BUCKET_ORIGIN_MS + Math.floor((ts - BUCKET_ORIGIN_MS) / width) * width;
}
