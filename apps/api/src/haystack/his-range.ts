import { DomainError } from '@hallwatch/core';
import { addDays, isIsoDate, localDate, startOfLocalDate } from '@hallwatch/domain';

/**
 * The `range` of a hisRead (docHaystack/Ops#hisRead), read in the point's time zone:
 * `today`, `yesterday`, `{date}`, `{date},{date}` (both days included), `{dateTime},{dateTime}`
 * and `{dateTime}` (from then until now). A dateTime is Zinc's: ISO 8601 with its offset, then
 * optionally the Haystack time zone name (`2025-03-09T08:00:00+08:00 Taipei`).
 */
export interface HisRange {
  /** inclusive, epoch ms */
  from: number;
  /** exclusive, epoch ms */
  to: number;
}

/** Longer ranges are refused: even as daily rollups they would be thousands of rows per point. */
export const MAX_HIS_RANGE_DAYS = 3_660;
const DAY_MS = 86_400_000;
const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '9999-12-30';
const ZINC_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))(?: [A-Za-z][A-Za-z0-9_+-]*)?$/;

export function parseHisRange(text: string, zone: string, now = Date.now()): HisRange {
  const range = readRange(text.trim(), zone, now);
  if (!(range.from < range.to)) throw invalid('the range ends before it starts');
  if (range.to - range.from > MAX_HIS_RANGE_DAYS * DAY_MS) throw invalid(`longer than ${MAX_HIS_RANGE_DAYS} days; ask for it in parts`);
  return range;
}

function readRange(text: string, zone: string, now: number): HisRange {
  if (text === 'today') return days(localDate(now, zone), localDate(now, zone), zone);
  if (text === 'yesterday') {
    const yesterday = addDays(localDate(now, zone), -1);
    return days(yesterday, yesterday, zone);
  }
  const parts = text.split(',');
  if (parts.length > 2) throw invalid('at most two parts, start and end, separated by a comma');
  const [start, end] = parts.map((part) => part.trim());
  if (isDate(start) && (end === undefined || isDate(end))) return days(start, end ?? start, zone);
  const from = dateTime(start);
  return { from, to: end === undefined ? now : dateTime(end) };
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  if (text < EARLIEST_DATE || text > LATEST_DATE) throw invalid(`${text} is outside the years 1900-9999`);
  if (!isIsoDate(text)) throw invalid(`${text} is not a date`);
  return true;
}

function days(first: string, last: string, zone: string): HisRange {
  return { from: startOfLocalDate(first, zone), to: startOfLocalDate(addDays(last, 1), zone) };
}

function dateTime(text: string): number {
  const match = ZINC_DATE_TIME.exec(text);
  const instant = match ? Date.parse(match[1]) : NaN;
  if (!Number.isFinite(instant))
    throw invalid(`"${preview(text)}" is not a date (YYYY-MM-DD) nor a dateTime (YYYY-MM-DDThh:mm:ss+08:00 Taipei)`);
  if (instant < Date.UTC(1900, 0, 1) || instant > Date.UTC(9999, 11, 30)) throw invalid(`${match![1]} is outside the years 1900-9999`);
  return instant;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function invalid(reason: string): DomainError {
  return new DomainError('invalid-input', `range: ${reason} (today, yesterday, a date, date,date, dateTime,dateTime or dateTime)`);
}
