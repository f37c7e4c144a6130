/**
 * The definition of rollups (docs/rollups.md) in plain TypeScript: slow loops, no cleverness, no
 * shared code with the SQL engine. Property tests hold `libs/readings` to what this computes from
 * the stored readings, so every rule here is written the way the document states it.
 */

export type PointKind = 'cumulative' | 'interval' | 'gauge' | 'status' | 'setpoint';
export type RollupLevel = '15m' | '1h' | '1d';
export const ROLLUP_LEVELS: readonly RollupLevel[] = ['15m', '1h', '1d'];

/** The registry attributes a rollup depends on (points.attributes). */
export interface RollupAttributes {
  noiseBand?: number;
  rolloverAt?: number;
  maxRatePerHour?: number;
  expectedIntervalSeconds?: number;
  /** interval points: the length of the interval each amount covers, ending at its timestamp */
  intervalSeconds?: number;
}

export interface ReferenceReading {
  /** epoch milliseconds */
  ts: number;
  value: number;
}

export interface ReferenceReplacement {
  /** epoch milliseconds */
  at: number;
  startValue: number;
}

export interface ReferencePoint {
  kind: PointKind;
  attributes: RollupAttributes;
  /** The stored readings, in any order; timestamps are unique. */
  readings: readonly ReferenceReading[];
  replacements: readonly ReferenceReplacement[];
  /** The site's IANA time zone. */
  timezone: string;
}

export interface ReferenceRollupRow {
  /** epoch milliseconds of the bucket's start */
  bucket: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  firstTs: number | null;
  firstValue: number | null;
  lastTs: number | null;
  lastValue: number | null;
  /** cumulative and interval points only */
  consumption: number | null;
  consumptionFlags: number;
  /** cumulative and interval points only */
  estimated: number | null;
  /** gauges, status points and setpoints only */
  twSum: number | null;
  twSeconds: number | null;
}

export type ReferenceRollups = Record<RollupLevel, Map<number, ReferenceRollupRow>>;

export const ConsumptionFlag = {
  gap: 1,
  reset: 2,
  suspect: 4,
  rollover: 8,
  replacement: 16,
  jitter: 32,
} as const;

/** One register step `(t0, v0) -> (t1, v1)`: the consumption over `(t0, t1]`. */
export interface RegisterStep {
  t0: number;
  t1: number;
  delta: number;
  flags: number;
  /** `delta` when the step is a gap, else 0 */
  estimated: number;
}

export const QUARTER_MS = 15 * 60_000;
export const HOUR_MS = 60 * 60_000;
const DEFAULT_EXPECTED_INTERVAL_SECONDS = 3600;
const DEFAULT_INTERVAL_SECONDS = 900;

/** Decides a step's delta and flags, in the order of the table in docs/rollups.md. */
export function registerStep(
  from: ReferenceReading,
  to: ReferenceReading,
  attributes: RollupAttributes,
  replacements: readonly ReferenceReplacement[],
): RegisterStep {
  const { ts: t0, value: v0 } = from;
  const { ts: t1, value: v1 } = to;
  let replacement: ReferenceReplacement | undefined;
  for (const candidate of replacements) {
    if (t0 < candidate.at && candidate.at <= t1 && (replacement === undefined || candidate.at >= replacement.at)) replacement = candidate;
  }
  const noiseBand = attributes.noiseBand ?? 0.001 * Math.abs(v0);
  const rolloverAt = attributes.rolloverAt;

  let delta: number;
  let flags: number;
  if (replacement !== undefined) {
    delta = Math.max(v1 - replacement.startValue, 0);
    flags = ConsumptionFlag.replacement;
  } else if (v1 >= v0) {
    delta = v1 - v0;
    flags = 0;
  } else if (v0 - v1 <= noiseBand) {
    delta = 0;
    flags = ConsumptionFlag.jitter;
  } else if (rolloverAt !== undefined && v0 >= 0.9 * rolloverAt && v1 <= 0.1 * rolloverAt) {
    delta = rolloverAt - v0 + v1;
    flags = ConsumptionFlag.rollover;
  } else if (v1 <= 0.01 * v0) {
    delta = v1;
    flags = ConsumptionFlag.reset;
  } else {
    delta = 0;
    flags = ConsumptionFlag.suspect;
  }

  const hours = (t1 - t0) / HOUR_MS;
  if (attributes.maxRatePerHour !== undefined && delta > attributes.maxRatePerHour * hours) {
    // The spike sets the suspect bit on top of whatever the step was classified as.
    delta = 0;
    flags |= ConsumptionFlag.suspect;
  }
  const gap = t1 - t0 > 2 * (attributes.expectedIntervalSeconds ?? DEFAULT_EXPECTED_INTERVAL_SECONDS) * 1000;
  if (gap) flags |= ConsumptionFlag.gap;
  return { t0, t1, delta, flags, estimated: gap ? delta : 0 };
}

/** Rows of every level for one point, keyed by bucket start. */
export function referenceRollups(point: ReferencePoint): ReferenceRollups {
  // `cumulative` here: the rows carry consumption (registers and interval amounts), not a held value.
  const cumulative = point.kind === 'cumulative' || point.kind === 'interval';
  const readings = [...point.readings].sort((a, b) => a.ts - b.ts);
  const quarters = new Map<number, ReferenceRollupRow>();
  const quarter = (bucket: number): ReferenceRollupRow => {
    let row = quarters.get(bucket);
    if (row === undefined) {
      row = emptyRow(bucket, cumulative);
      quarters.set(bucket, row);
    }
    return row;
  };

  // Every point: the readings in the bucket; an interval point's amount in the bucket its interval
  // ends in (stamped 00:00, it is the last quarter-hour of the day before).
  for (const reading of readings) {
    const row = quarter(point.kind === 'interval' ? quarterStart(reading.ts - 1) : quarterStart(reading.ts));
    row.count += 1;
    row.sum += reading.value;
    row.min = row.min === null ? reading.value : Math.min(row.min, reading.value);
    row.max = row.max === null ? reading.value : Math.max(row.max, reading.value);
    if (row.firstTs === null || reading.ts < row.firstTs) {
      row.firstTs = reading.ts;
      row.firstValue = reading.value;
    }
    if (row.lastTs === null || reading.ts > row.lastTs) {
      row.lastTs = reading.ts;
      row.lastValue = reading.value;
    }
  }

  if (point.kind === 'interval') {
    // Each amount is what was used over (ts - interval, ts], split over the buckets it overlaps in
    // proportion to time. No reading, no amount: a missing interval stays missing.
    const length = (point.attributes.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000;
    for (const reading of readings) {
      const t0 = reading.ts - length;
      for (let bucket = quarterStart(t0); bucket < reading.ts; bucket += QUARTER_MS) {
        const overlap = Math.min(reading.ts, bucket + QUARTER_MS) - Math.max(t0, bucket);
        if (overlap <= 0) continue;
        const row = quarter(bucket);
        row.consumption = (row.consumption ?? 0) + (reading.value * overlap) / length;
      }
    }
  } else if (cumulative) {
    // Each step's delta, split over the buckets (t0, t1] overlaps in proportion to time.
    for (let i = 1; i < readings.length; i++) {
      const step = registerStep(readings[i - 1], readings[i], point.attributes, point.replacements);
      const length = step.t1 - step.t0;
      for (let bucket = quarterStart(step.t0); bucket < step.t1; bucket += QUARTER_MS) {
        const overlap = Math.min(step.t1, bucket + QUARTER_MS) - Math.max(step.t0, bucket);
        if (overlap <= 0) continue;
        const row = quarter(bucket);
        row.consumption = (row.consumption ?? 0) + (step.delta * overlap) / length;
        row.estimated = (row.estimated ?? 0) + (step.estimated * overlap) / length;
        row.consumptionFlags |= step.flags;
      }
    }
  } else {
    // Sample and hold: (t, v) holds over [t, min(next reading, t + 1 hour)).
    for (let i = 0; i < readings.length; i++) {
      const { ts: start, value } = readings[i];
      const next = i + 1 < readings.length ? readings[i + 1].ts : Infinity;
      const end = Math.min(next, start + HOUR_MS);
      for (let bucket = quarterStart(start); bucket < end; bucket += QUARTER_MS) {
        const overlap = Math.min(end, bucket + QUARTER_MS) - Math.max(start, bucket);
        if (overlap <= 0) continue;
        const row = quarter(bucket);
        row.twSum = (row.twSum ?? 0) + (value * overlap) / 1000;
        row.twSeconds = (row.twSeconds ?? 0) + overlap / 1000;
      }
    }
  }

  const ordered = new Map([...quarters.entries()].sort(([a], [b]) => a - b));
  return {
    '15m': ordered,
    '1h': addUp(ordered, cumulative, (bucket) => localHourStart(bucket, point.timezone)),
    '1d': addUp(ordered, cumulative, (bucket) => localDayStart(bucket, point.timezone)),
  };
}

/** An hour or day row is the 15-minute rows that start inside it, added up. */
function addUp(
  quarters: Map<number, ReferenceRollupRow>,
  cumulative: boolean,
  startOf: (quarter: number) => number,
): Map<number, ReferenceRollupRow> {
  const rows = new Map<number, ReferenceRollupRow>();
  for (const part of quarters.values()) {
    const bucket = startOf(part.bucket);
    let row = rows.get(bucket);
    if (row === undefined) {
      row = emptyRow(bucket, cumulative);
      rows.set(bucket, row);
    }
    row.count += part.count;
    row.sum += part.sum;
    if (part.min !== null) row.min = row.min === null ? part.min : Math.min(row.min, part.min);
    if (part.max !== null) row.max = row.max === null ? part.max : Math.max(row.max, part.max);
    if (part.firstTs !== null && (row.firstTs === null || part.firstTs < row.firstTs)) {
      row.firstTs = part.firstTs;
      row.firstValue = part.firstValue;
    }
    if (part.lastTs !== null && (row.lastTs === null || part.lastTs > row.lastTs)) {
      row.lastTs = part.lastTs;
      row.lastValue = part.lastValue;
    }
    if (part.consumption !== null) row.consumption = (row.consumption ?? 0) + part.consumption;
    if (part.estimated !== null) row.estimated = (row.estimated ?? 0) + part.estimated;
    row.consumptionFlags |= part.consumptionFlags;
    if (part.twSum !== null) row.twSum = (row.twSum ?? 0) + part.twSum;
    if (part.twSeconds !== null) row.twSeconds = (row.twSeconds ?? 0) + part.twSeconds;
  }
  return rows;
}

function emptyRow(bucket: number, cumulative: boolean): ReferenceRollupRow {
  return {
    bucket,
    count: 0,
    sum: 0,
    min: null,
    max: null,
    firstTs: null,
    firstValue: null,
    lastTs: null,
    lastValue: null,
    consumption: cumulative ? 0 : null,
    consumptionFlags: 0,
    estimated: cumulative ? 0 : null,
    twSum: cumulative ? null : 0,
    twSeconds: cumulative ? null : 0,
  };
}

/** The UTC quarter-hour `[b, b + 15 min)` holding `ts`. */
export function quarterStart(ts: number): number {
  return Math.floor(ts / QUARTER_MS) * QUARTER_MS;
}

export interface LocalClock {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Intl is slow: each quarter-hour's wall clock is read once per zone. */
const clocks = new Map<string, Map<number, LocalClock>>();

/** The wall clock of `timezone` at `ts`: the local date, hour and minute. */
export function localClock(ts: number, timezone: string): LocalClock {
  let known = clocks.get(timezone);
  if (known === undefined) {
    known = new Map();
    clocks.set(timezone, known);
  }
  let clock = known.get(ts);
  if (clock === undefined) {
    clock = readClock(ts, timezone);
    known.set(ts, clock);
  }
  return clock;
}

function readClock(ts: number, timezone: string): LocalClock {
  let format = formatters.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ts).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute) };
}

/**
 * The start of the local wall-clock hour holding `ts`. Offsets are whole quarter-hours, so the
 * hour began `minute` minutes before the quarter-hour holding `ts` (01:30 UTC in Asia/Kolkata is
 * 07:00 local: that hour began at 01:30 UTC). A repeated hour when clocks go back is two hours.
 */
export function localHourStart(ts: number, timezone: string): number {
  const quarter = quarterStart(ts);
  return quarter - localClock(quarter, timezone).minute * 60_000;
}

const dayStarts = new Map<string, number>();

/** Local midnight starting the local day that holds `ts`: the first quarter-hour with that local date. */
export function localDayStart(ts: number, timezone: string): number {
  let start = quarterStart(ts);
  const date = localClock(start, timezone).date;
  const key = `${timezone} ${date}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return known;
  while (localClock(start - QUARTER_MS, timezone).date === date) start -= QUARTER_MS;
  dayStarts.set(key, start);
  return start;
}

/** The local midnight after the one starting the day that holds `ts` (days are 23 to 25 hours). */
export function nextLocalDayStart(ts: number, timezone: string): number {
  return localDayStart(localDayStart(ts, timezone) + 25 * HOUR_MS, timezone);
}

const ROW_FIELDS: ReadonlyArray<keyof ReferenceRollupRow> = [
  'count',
  'sum',
  'min',
  'max',
  'firstTs',
  'firstValue',
  'lastTs',
  'lastValue',
  'consumption',
  'consumptionFlags',
  'estimated',
  'twSum',
  'twSeconds',
];
/** Compared exactly; every other field within the tolerance. */
const EXACT_FIELDS = new Set<keyof ReferenceRollupRow>(['count', 'firstTs', 'lastTs', 'consumptionFlags']);

export interface RollupTolerance {
  relative: number;
  absolute: number;
}

/**
 * The differences between two sets of rollups of one point, earliest bucket first, at most `limit`:
 * buckets only one side has, then fields that differ (null only equals null).
 */
export function diffRollups(
  expected: ReferenceRollups,
  actual: ReferenceRollups,
  tolerance: RollupTolerance = { relative: 1e-9, absolute: 1e-6 },
  limit = 8,
): string[] {
  const differences: Array<{ bucket: number; text: string }> = [];
  const show = (value: unknown, field: keyof ReferenceRollupRow) =>
    value !== null && (field === 'firstTs' || field === 'lastTs') ? new Date(value as number).toISOString() : String(value);
  for (const level of ROLLUP_LEVELS) {
    const buckets = [...new Set([...expected[level].keys(), ...actual[level].keys()])].sort((a, b) => a - b);
    for (const bucket of buckets) {
      const want = expected[level].get(bucket);
      const got = actual[level].get(bucket);
      const where = `${level} ${new Date(bucket).toISOString()}`;
      if (want === undefined || got === undefined) {
        differences.push({
          bucket,
          text: `${where}: ${want === undefined ? 'unexpected row' : 'missing row'} ${JSON.stringify(want ?? got)}`,
        });
        continue;
      }
      const fields = ROW_FIELDS.filter((field) => !same(want[field], got[field], EXACT_FIELDS.has(field) ? null : tolerance));
      if (fields.length > 0) {
        const detail = fields.map((field) => `${field} expected ${show(want[field], field)} got ${show(got[field], field)}`);
        differences.push({ bucket, text: `${where}: ${detail.join(', ')}` });
      }
    }
  }
  return differences
    .sort((a, b) => a.bucket - b.bucket)
    .slice(0, limit)
    .map((difference) => difference.text);
}

function same(a: number | null, b: number | null, tolerance: RollupTolerance | null): boolean {
  if (a === null || b === null) return a === b;
  if (tolerance === null) return a === b;
  const error = Math.abs(a - b);
  return error <= tolerance.absolute || error <= tolerance.relative * Math.max(Math.abs(a), Math.abs(b));
}
