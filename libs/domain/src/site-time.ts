/**
 * A site's own time: every day, month, schedule, report period and clock of a site is read in its
 * IANA time zone (`sites.timezone`). This module is the one place that turns instants into local
 * wall-clock fields and local dates back into instants. Pure: Intl.DateTimeFormat and no offsets of
 * its own, so daylight saving (23- and 25-hour days) comes out right wherever the site is.
 */

/** The zone of a site that names none: the city halls Hallwatch was built for are in Taiwan. */
export const DEFAULT_TIME_ZONE = 'Asia/Taipei';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const QUARTER_MS = 15 * MINUTE_MS;

/** The wall clock of a site at an instant. */
export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 Sunday - 6 Saturday */
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
}

/** Whether `zone` is a time zone this runtime knows (an IANA name such as Asia/Taipei, or UTC). */
export function isTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  try {
    formatOf(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Offsets are looked up once per zone and quarter hour: since 1970 every zone's offset is a whole
 * number of quarter hours and changes on a UTC quarter hour (docs/rollups.md relies on the same).
 */
const offsetCache = new Map<string, Map<number, number>>();
const CACHE_LIMIT = 20_000;

/** The zone's offset from UTC at an instant, in ms (Taipei +28,800,000; New York in summer -14,400,000). */
export function zoneOffsetMs(ts: number, zone: string): number {
  const quarter = Math.floor(ts / QUARTER_MS);
  let known = offsetCache.get(zone);
  const cached = known?.get(quarter);
  if (cached !== undefined) return cached;
  const at = quarter * QUARTER_MS;
  const parts: Record<string, number> = {};
  for (const part of formatOf(zone).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - at;
  if (!known || known.size >= CACHE_LIMIT) offsetCache.set(zone, (known = new Map<number, number>()));
  known.set(quarter, offset);
  return offset;
}

/** The wall clock of `zone` at instant `ts` (epoch ms). */
export function wallClock(ts: number, zone: string): WallClock {
  const shifted = new Date(ts + zoneOffsetMs(ts, zone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday: shifted.getUTCDay(),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(ts: number, zone: string): string {
  const { year, month, day } = wallClock(ts, zone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The local month of an instant, `YYYY-MM`. */
export function localMonth(ts: number, zone: string): string {
  return localDate(ts, zone).slice(0, 7);
}

/** Minutes since local midnight on the wall clock (08:30 is 510), for schedules and tariff periods. */
export function localMinuteOfDay(ts: number, zone: string): number {
  const { hour, minute } = wallClock(ts, zone);
  return hour * 60 + minute;
}

/** The local weekday of an instant, 0 Sunday - 6 Saturday. */
export function localWeekday(ts: number, zone: string): number {
  return wallClock(ts, zone).weekday;
}

/** ISO 8601 with the zone's offset, e.g. 2025-07-01T10:05:00+08:00 (milliseconds only when there are some). */
export function localIso(ts: number, zone: string): string {
  const offset = zoneOffsetMs(ts, zone);
  const c = wallClock(ts, zone);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offset) / MINUTE_MS);
  const ms = c.millisecond ? `.${pad(c.millisecond, 3)}` : '';
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}${ms}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** Whether `text` is a real calendar date `YYYY-MM-DD` (2025-02-30 is not). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The instant of a local wall-clock time in `zone`. Where the clock jumps forward the time does not
 * exist and is read with the offset before the jump (02:30 on a spring-forward night is 03:30);
 * where it falls back the time happens twice and the first is taken. (PostgreSQL reads a missing
 * time the same way; Temporal calls this 'compatible'.)
 */
export function zonedTime(
  fields: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number; millisecond?: number },
  zone: string,
): number {
  const local = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
    fields.millisecond ?? 0,
  );
  const before = zoneOffsetMs(local - DAY_MS, zone);
  const after = zoneOffsetMs(local + DAY_MS, zone);
  const candidates = [local - before, local - after].filter((ts) => ts + zoneOffsetMs(ts, zone) === local).sort((a, b) => a - b);
  return candidates[0] ?? local - before;
}

/** The first instant of a local date `YYYY-MM-DD` in `zone`: its local midnight. */
export function startOfLocalDate(isoDate: string, zone: string): number {
  const key = `${zone} ${isoDate}`;
  const known = midnights.get(key);
  if (known !== undefined) return known;
  if (!isIsoDate(isoDate)) throw new RangeError(`not a date (YYYY-MM-DD): ${isoDate}`);
  const midnight = zonedTime(
    { year: Number(isoDate.slice(0, 4)), month: Number(isoDate.slice(5, 7)), day: Number(isoDate.slice(8, 10)) },
    zone,
  );
  if (midnights.size >= CACHE_LIMIT) midnights.clear();
  midnights.set(key, midnight);
  return midnight;
}
const midnights = new Map<string, number>();

/**
 * A local date or date-time without an offset (`2025-03-09`, `2025-03-09T08:00`), read on the
 * zone's wall clock; null when `text` is neither.
 */
export function parseLocalDateTime(text: string, zone: string): number | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match || !isIsoDate(`${match[1]}-${match[2]}-${match[3]}`)) return null;
  const [hour, minute, second] = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millisecond = match[7] ? Number(match[7].padEnd(3, '0')) : 0;
  return zonedTime({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), hour, minute, second, millisecond }, zone);
}

/** Local midnight of the day that holds `ts`. */
export function startOfLocalDay(ts: number, zone: string): number {
  return startOfLocalDate(localDate(ts, zone), zone);
}

/** Local midnight of the day after the one that holds `ts` (23, 24 or 25 hours on). */
export function startOfNextLocalDay(ts: number, zone: string): number {
  return startOfLocalDate(addDays(localDate(ts, zone), 1), zone);
}

/** The first instant of the local month that holds `ts`. */
export function startOfLocalMonth(ts: number, zone: string): number {
  return startOfLocalDate(`${localMonth(ts, zone)}-01`, zone);
}

/** The start of the local wall-clock hour that holds `ts` (not always a UTC hour: Kolkata is +05:30). */
export function startOfLocalHour(ts: number, zone: string): number {
  const { minute, second, millisecond } = wallClock(ts, zone);
  return ts - minute * MINUTE_MS - second * 1000 - millisecond;
}

/** The UTC-aligned quarter hour that holds `ts`: in every zone also a local quarter hour. */
export function startOfQuarterHour(ts: number): number {
  return Math.floor(ts / QUARTER_MS) * QUARTER_MS;
}

/** A date `days` calendar days from `isoDate` (negative: before). Plain calendar arithmetic. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (`to` exclusive: 2025-03-01..2025-03-02 is 1). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The weekday of a calendar date, 0 Sunday - 6 Saturday. */
export function weekdayOfDate(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

/** Hours in the local day `isoDate` (23 or 25 on daylight-saving days). */
export function hoursInLocalDate(isoDate: string, zone: string): number {
  return (startOfLocalDate(addDays(isoDate, 1), zone) - startOfLocalDate(isoDate, zone)) / HOUR_MS;
}

/**
 * The instant with the same local wall-clock time of day as `ts`, on local date `isoDate`: "the same
 * time yesterday". Comparisons of part of a day follow the building's clock, not elapsed hours.
 */
export function sameLocalTimeOn(isoDate: string, ts: number, zone: string): number {
  const c = wallClock(ts, zone);
  const [year, month, day] = isoDate.split('-').map(Number);
  return zonedTime({ year, month, day, hour: c.hour, minute: c.minute, second: c.second, millisecond: c.millisecond }, zone);
}

/** The last part of a zone's name for people: Asia/Taipei -> Taipei, America/New_York -> New York. */
export function zoneCity(zone: string): string {
  return (zone.split('/').at(-1) ?? zone).replace(/_/g, ' ');
}
