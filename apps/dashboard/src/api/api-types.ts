import type { Bucket, PointKind } from '@hallwatch/domain';

/** Shapes of the REST API (GET /api/v1/...), as the dashboard reads them. */

export interface SiteSummary {
  key: string;
  name: string;
  timezone: string;
  attributes: Record<string, unknown>;
}

export interface PointInfo {
  key: string;
  name: string | null;
  kind: PointKind;
  unit: string;
  tags: string[];
  attributes: Record<string, unknown>;
}

export interface AssetInfo {
  key: string;
  name: string;
  type: string;
  tags: string[];
  attributes: Record<string, unknown>;
  points: PointInfo[];
}

export interface SiteDetail extends SiteSummary {
  assets: AssetInfo[];
}

export interface RawReading {
  ts: number;
  value: number;
  flags: number;
}

/** A rollup bucket, stamped at its start (epoch ms), aligned to Taipei time. */
export interface BucketReading {
  ts: number;
  mean: number;
  min: number;
  max: number;
  count: number;
  sum: number;
  first: number;
  last: number;
}

interface ReadingsEnvelope {
  site: string;
  asset: string;
  point: string;
  kind: PointKind;
  unit: string;
  from: string;
  to: string;
  truncated: boolean;
}

export type ReadingsResponse =
  | (ReadingsEnvelope & { bucket: 'raw'; readings: RawReading[] })
  | (ReadingsEnvelope & { bucket: Exclude<Bucket, 'raw'>; readings: BucketReading[] });

export interface ReadingsQuery {
  from: number;
  to: number;
  bucket: Bucket;
  limit?: number;
}
