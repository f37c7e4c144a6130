import type { MissingSpan } from '../domain/month-coverage';
import type { Bucket, PointKind } from '@hallwatch/domain';

/** Shapes of the REST API (GET /api/v1/...), as the dashboard reads them. */

export interface SiteSummary {
  key: string;
  name: string;
  /** IANA time zone: every time and day on the dashboard is the site's. */
  timezone: string;
  baselineYear: number;
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

/** A rollup bucket, stamped at its start (epoch ms): 15 minutes on UTC quarter hours, hours and days on the site's clock. */
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

export type DemandLevel = 'normal' | 'near' | 'over';

interface DayEnergy {
  /** The site's local date. */
  date: string;
  /** Its local midnight and the same time of day as today's count (epoch ms). */
  from: number;
  to: number;
  /** Null when the day's window has no data at all (never 0 for missing). */
  kWh: number | null;
  /** Of `kWh`, what was estimated across meter gaps (the meter sent nothing for longer than twice its interval). */
  estimatedKwh: number;
  /** How much of the window has data (apps/api/src/consumption/coverage.schema.ts). */
  coverage: Coverage;
}

/** Of a period's whole quarter hours up to now, how many the main meters have data in; `share` null before the first whole one. */
export interface Coverage {
  quarters: number;
  quartersWithData: number;
  share: number | null;
  partial: boolean;
  firstData: number | null;
  lastData: number | null;
}

/** GET /api/v1/sites/{site}/overview: the server's one definition of these numbers, shown as served. */
export interface OverviewView {
  site: string;
  /** The demo's history being loaded on its first start: how far (0-100); null when there is none. */
  demoHistory?: { percent: number; finished: boolean } | null;
  timezone: string;
  at: number;
  dataThrough: number | null;
  energy: {
    unit: 'kWh';
    today: DayEnergy & { flags: number };
    /** `change`: today against it, as a ratio ((today − it) / it), or null when it is 0; `partial`: either day lacks data. */
    yesterday: DayEnergy & { change: number | null; partial: boolean };
    baseline: DayEnergy & { year: number; change: number | null; partial: boolean };
  };
  demand: {
    contractCapacityKw: number | null;
    quarter: {
      from: number;
      to: number;
      through: number;
      kWh: number;
      kW: number;
      share: number | null;
      level: DemandLevel | null;
      forecastKw: number | null;
      forecastLevel: DemandLevel | null;
    };
    previousQuarter: { from: number; kW: number } | null;
    peakToday: { from: number; kW: number } | null;
    latestKw: { ts: number; kW: number } | null;
  };
}

export type Severity = 'P1' | 'P2' | 'P3' | 'P4';
export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert as GET /api/v1/alerts and the socket's `alert` events carry it. */
export interface AlertView {
  id: number;
  ruleId: string;
  site: string;
  target: string;
  state: AlertState;
  severity: Severity;
  title: string;
  detail: string;
  value: number | null;
  repeats: number;
  assignee: string | null;
  shelvedUntil: string | null;
  escalationLevel: number;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  updatedAt: string;
}

export interface AlertEventView {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface AlertDetail extends AlertView {
  events: AlertEventView[];
  notifications: Array<{
    id: string;
    contactId: string;
    channel: string;
    reason: string;
    state: string;
    attempts: number;
    lastError: string | null;
  }>;
}

export type Utility = 'electricity' | 'water' | 'fuel';
export type ReportFormat = 'json' | 'csv' | 'xlsx' | 'pdf';

export interface SavingsQuery {
  site: string;
  utility: Utility;
  from: string;
  to: string;
  baselineYear: number;
  method: 'same-period' | 'normalised';
  lang: 'zh-TW' | 'en';
}

/** The parts of GET /api/v1/reports/savings that the energy-officer page shows. */
export interface SavingsReportView {
  unit: string;
  summary: string;
  period: { from: string; to: string; label: string; days: number; daysWithData: number };
  baseline: { from: string; to: string; label: string; year: number; days: number; daysWithData: number };
  totals: {
    current: number;
    baseline: number;
    difference: number;
    percent: number | null;
    adjustments: number;
    adjustedPercent: number | null;
  };
  months: Array<{ month: string; current: number; baseline: number; difference: number; percent: number | null }>;
  cost: { current: number | null; baseline: number | null; saving: number | null; basis: string };
  emissions: { currentKg: number; baselineKg: number; differenceKg: number };
  kpi: Array<{ name: string; unit: string; target: number; actual: number; achievementRatio: number | null }> | null;
  /** `missing`: runs of days without data ([from, to] inclusive), never counted as 0. */
  dataQuality: { notes: string[]; missing?: { period: MissingSpan[]; baseline: MissingSpan[] } };
}
