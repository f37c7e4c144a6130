import { bucketStart, type Bucket } from '@hallwatch/domain';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type TrendRangeKey = '6h' | '24h' | '7d' | '90d';

export interface TrendRange {
  key: TrendRangeKey;
  spanMs: number;
  /** Each range has the bucket that keeps a chart at a few hundred points at most. */
  bucket: Bucket;
}

export const TREND_RANGES: readonly TrendRange[] = [
  { key: '6h', spanMs: 6 * HOUR_MS, bucket: 'raw' },
  { key: '24h', spanMs: DAY_MS, bucket: '15m' },
  { key: '7d', spanMs: 7 * DAY_MS, bucket: '1h' },
  { key: '90d', spanMs: 90 * DAY_MS, bucket: '1d' },
];

/** Raw readings asked for at most; past this the range is shown in 15-minute buckets instead. */
export const RAW_LIMIT = 2_000;

export function trendRange(key: string | undefined): TrendRange {
  return TREND_RANGES.find((range) => range.key === key) ?? TREND_RANGES[0];
}

/** The window to fetch for a range ending now; bucketed ranges start on a whole bucket of the site's clock (`zone`). */
export function rangeWindow(spanMs: number, bucket: Bucket, now: number, zone: string): { from: number; to: number } {
  const from = now - spanMs;
  return { from: bucket === 'raw' ? from : bucketStart(from, bucket, zone), to: now };
}
