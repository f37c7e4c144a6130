import { KEY_PATTERN, POINT_KEY_PATTERN } from '@hallwatch/domain';
import { preview } from '@hallwatch/core';
import { MAX_POINT_KEY_CHARS } from '../parse-result';

/**
 * History from a CSV file, turned into native v1 messages that go through the broker like any
 * meter's: the same validation, dead letters, loss ledger and rollups. Two layouts:
 *
 * - readings: `asset,point,ts,value` (a register's readings, or a gauge's), one reading a row;
 * - intervals: `asset,point,start,end,value` with the energy (kWh, m³) used in each interval, as
 *   utilities export it. For an `interval` point (`intervalPoints`) each amount is stored as it is,
 *   stamped at its interval's end, and a hole in the file stays a hole: no data, never 0
 *   (docs/rollups.md, "Interval points"). For a register it becomes register readings: the
 *   register starts at `registerStart` at the first interval's start and adds each interval's value
 *   at its end (a step is consumption over (t0, t1], so the 00:00-00:15 amount lands in the 00:00
 *   quarter-hour); across a hole the register cannot say what was used, so the step over it is
 *   flat and the rollups flag it as a gap.
 *
 * `ts`, `start` and `end` are ISO 8601 with an offset (2015-03-01T00:15:00+08:00) or epoch ms.
 * A leading `site` column is allowed; otherwise the site is given. Blank lines and lines starting
 * with # are skipped; a header row (naming the columns) is required.
 */
export interface CsvRow {
  site: string;
  asset: string;
  point: string;
  ts: number;
  value: number;
}

export interface CsvProblem {
  line: number;
  problem: string;
}

export interface ParsedCsv {
  layout: 'readings' | 'intervals';
  rows: CsvRow[];
  problems: CsvProblem[];
}

/** The `site/asset/point` keys a parsed file names. */
export function pointKeys(rows: readonly CsvRow[]): Set<string> {
  return new Set(rows.map((row) => `${row.site}/${row.asset}/${row.point}`));
}

/** Half of ingest's default INGEST_MAX_PAYLOAD_BYTES (256 KiB), so no back-fill message is refused as too large. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

const READINGS = ['asset', 'point', 'ts', 'value'];
const INTERVALS = ['asset', 'point', 'start', 'end', 'value'];

export interface ParseOptions {
  site?: string;
  registerStart?: number;
  /**
   * `site/asset/point` of the registry's interval points, with their interval in seconds (null:
   * whatever the file says): their amounts are stored as they are.
   */
  intervalPoints?: ReadonlyMap<string, number | null>;
}

export function parseBackfillCsv(text: string, options: ParseOptions = {}): ParsedCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '' && !line.startsWith('#'));
  if (headerIndex < 0) return { layout: 'readings', rows: [], problems: [{ line: 1, problem: 'the file is empty' }] };
  const header = split(lines[headerIndex]).map((cell) => cell.toLowerCase());
  const columns = header[0] === 'site' ? header.slice(1) : header;
  const layout = same(columns, READINGS) ? 'readings' : same(columns, INTERVALS) ? 'intervals' : null;
  if (!layout) {
    return {
      layout: 'readings',
      rows: [],
      problems: [
        { line: headerIndex + 1, problem: `the header must be ${READINGS.join(',')} or ${INTERVALS.join(',')} (optionally after site)` },
      ],
    };
  }
  const hasSite = header[0] === 'site';
  const rows: CsvRow[] = [];
  const intervals: Array<CsvRow & { start: number; line: number }> = [];
  const problems: CsvProblem[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const line = i + 1;
    const cells = split(raw);
    if (cells.length !== header.length) {
      problems.push({ line, problem: `expected ${header.length} columns, found ${cells.length}` });
      continue;
    }
    const site = hasSite ? cells.shift()! : options.site;
    const [asset, point] = cells;
    const problem = checkKeys(site, asset, point);
    if (problem) {
      problems.push({ line, problem });
      continue;
    }
    const value = Number(cells.at(-1));
    if (cells.at(-1) === '' || !Number.isFinite(value)) {
      problems.push({ line, problem: `value ${preview(cells.at(-1))} is not a number` });
      continue;
    }
    if (layout === 'readings') {
      const ts = parseTime(cells[2]);
      if (ts === null) problems.push({ line, problem: `ts ${preview(cells[2])} is not ISO 8601 with an offset, nor epoch ms` });
      else rows.push({ site: site!, asset, point, ts, value });
      continue;
    }
    const [start, end] = [parseTime(cells[2]), parseTime(cells[3])];
    if (start === null || end === null || end <= start) {
      problems.push({ line, problem: 'start and end must be times (ISO 8601 with an offset, or epoch ms), start before end' });
      continue;
    }
    if (value < 0) {
      problems.push({ line, problem: 'an interval cannot use a negative amount' });
      continue;
    }
    intervals.push({ site: site!, asset, point, ts: end, start, value, line });
  }
  if (layout === 'intervals') {
    const intervalPoints = options.intervalPoints ?? new Map<string, number | null>();
    const isAmount = (row: CsvRow) => intervalPoints.has(`${row.site}/${row.asset}/${row.point}`);
    rows.push(...amountsFromIntervals(intervals.filter(isAmount), intervalPoints, problems));
    rows.push(...registerFromIntervals(intervals.filter((row) => !isAmount(row)), options.registerStart ?? 0, problems));
  }
  return { layout, rows, problems };
}

/**
 * Interval amounts for an interval point, each at its interval's end. An interval whose length is
 * not the point's, or that overlaps the one before it, is refused: its amount would land in the
 * wrong quarter-hours.
 */
function amountsFromIntervals(
  intervals: Array<CsvRow & { start: number; line: number }>,
  intervalSeconds: ReadonlyMap<string, number | null>,
  problems: CsvProblem[],
): CsvRow[] {
  const rows: CsvRow[] = [];
  const previousEnd = new Map<string, number>();
  for (const interval of [...intervals].sort((a, b) => a.start - b.start)) {
    const key = `${interval.site}/${interval.asset}/${interval.point}`;
    const seconds = intervalSeconds.get(key) ?? null;
    if (seconds !== null && interval.ts - interval.start !== seconds * 1000) {
      problems.push({
        line: interval.line,
        problem: `this interval is ${(interval.ts - interval.start) / 60_000} min long; ${key} holds ${seconds / 60} min amounts`,
      });
      continue;
    }
    const before = previousEnd.get(key);
    if (before !== undefined && interval.start < before) {
      problems.push({ line: interval.line, problem: 'this interval overlaps the one before it' });
      continue;
    }
    previousEnd.set(key, interval.ts);
    rows.push({ site: interval.site, asset: interval.asset, point: interval.point, ts: interval.ts, value: interval.value });
  }
  return rows;
}

/**
 * Interval amounts -> a register per point: the start value at the first interval's start, then a
 * running sum read at each interval's end. A register step is consumption over (t0, t1]
 * (docs/rollups.md), so each amount lands exactly in its own interval.
 */
function registerFromIntervals(
  intervals: Array<CsvRow & { start: number; line: number }>,
  start: number,
  problems: CsvProblem[],
): CsvRow[] {
  const byPoint = new Map<string, typeof intervals>();
  for (const interval of intervals) {
    const key = `${interval.site}/${interval.asset}/${interval.point}`;
    // Appended in place: copying the list for each interval made a year of 15-minute data take minutes.
    const list = byPoint.get(key);
    if (list) list.push(interval);
    else byPoint.set(key, [interval]);
  }
  const rows: CsvRow[] = [];
  for (const list of byPoint.values()) {
    list.sort((a, b) => a.start - b.start);
    let register = start;
    let previousEnd: number | null = null;
    const { site, asset, point } = list[0];
    rows.push({ site, asset, point, ts: list[0].start, value: register });
    for (const interval of list) {
      if (previousEnd !== null && interval.start < previousEnd) {
        problems.push({ line: interval.line, problem: 'this interval overlaps the one before it' });
        continue;
      }
      if (!Number.isFinite(register + interval.value)) {
        problems.push({ line: interval.line, problem: 'the register would overflow (the amounts add up past the largest number)' });
        continue;
      }
      if (previousEnd !== null && interval.start > previousEnd) rows.push({ site, asset, point, ts: interval.start, value: register });
      register += interval.value;
      previousEnd = interval.ts;
      rows.push({ site, asset, point, ts: interval.ts, value: register });
    }
  }
  return rows;
}

/**
 * Native v1 messages: one per site and asset, up to `perMessage` entries (times) each and at most
 * `maxBytes`, grouped by time. A time with more values than fit in one message is split over several.
 */
export function backfillMessages(
  rows: readonly CsvRow[],
  topicPrefix: string,
  perMessage = 500,
  maxBytes = MAX_MESSAGE_BYTES,
): Array<{ topic: string; payload: string }> {
  const byAsset = new Map<string, Map<number, Map<string, number>>>();
  for (const row of rows) {
    const key = `${row.site}/${row.asset}`;
    let times = byAsset.get(key);
    if (!times) byAsset.set(key, (times = new Map<number, Map<string, number>>()));
    let values = times.get(row.ts);
    if (!values) times.set(row.ts, (values = new Map<string, number>()));
    values.set(row.point, row.value);
  }
  const messages: Array<{ topic: string; payload: string }> = [];
  for (const [key, times] of byAsset) {
    let batch: string[] = [];
    let bytes = 2;
    const flush = () => {
      if (batch.length > 0) messages.push({ topic: `${topicPrefix}/${key}`, payload: `[${batch.join(',')}]` });
      batch = [];
      bytes = 2;
    };
    for (const [ts, values] of [...times].sort(([a], [b]) => a - b)) {
      for (const entry of entryTexts(ts, values, maxBytes - 2)) {
        if (batch.length === perMessage || bytes + entry.length + 1 > maxBytes) flush();
        batch.push(entry);
        bytes += entry.length + 1;
      }
    }
    flush();
  }
  return messages;
}

/** `{"ts":...,"values":{...}}` as JSON, in as many parts as keep each under `maxChars`. */
function entryTexts(ts: number, values: Map<string, number>, maxChars: number): string[] {
  const head = `{"ts":${ts},"values":{`;
  const texts: string[] = [];
  let members: string[] = [];
  let length = head.length + 2;
  for (const [point, value] of values) {
    const member = `${JSON.stringify(point)}:${JSON.stringify(value)}`;
    if (members.length > 0 && length + member.length + 1 > maxChars) {
      texts.push(`${head}${members.join(',')}}}`);
      members = [];
      length = head.length + 2;
    }
    members.push(member);
    length += member.length + 1;
  }
  if (members.length > 0) texts.push(`${head}${members.join(',')}}}`);
  return texts;
}

function checkKeys(site: string | undefined, asset: string, point: string): string | null {
  if (!site) return 'no site: add a site column or pass --site';
  if (!KEY_PATTERN.test(site)) return `site ${preview(site)} is not a key ([a-z0-9-]+)`;
  if (!KEY_PATTERN.test(asset)) return `asset ${preview(asset)} is not a key ([a-z0-9-]+)`;
  if (!POINT_KEY_PATTERN.test(point)) return `point ${preview(point)} is not a point key`;
  // Ingest refuses longer keys (key-too-long): say so here, before anything is sent.
  if (point.length > MAX_POINT_KEY_CHARS) return `point ${preview(point)} is longer than ${MAX_POINT_KEY_CHARS} characters`;
  return null;
}

function parseTime(text: string): number | null {
  if (/^\d{10,14}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ts = Date.parse(text);
  return Number.isFinite(ts) ? ts : null;
}

function split(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
