import { startOfLocalDay, startOfLocalHour, startOfQuarterHour } from './site-time';

/** Rollup widths offered by the API. `raw` reads the readings themselves. */
export const BUCKETS = ['raw', '15m', '1h', '1d'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type RollupBucket = Exclude<Bucket, 'raw'>;

/** Nominal widths: a local day is 23 or 25 hours where the zone has daylight saving. */
export const BUCKET_MS: Record<RollupBucket, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
};

/**
 * The start of the rollup bucket that holds `ts`, as docs/rollups.md defines them: 15 minutes
 * aligned to UTC quarter hours, hours and days on the site's wall clock in its time zone.
 */
export function bucketStart(ts: number, bucket: RollupBucket, zone: string): number {
  switch (bucket) {
    case '15m':
      return startOfQuarterHour(ts);
    case '1h':
      return startOfLocalHour(ts, zone);
    case '1d':
      return startOfLocalDay(ts, zone);
  }
}
