/** The languages of the dashboard: Traditional Chinese (Taiwan) first, English second. */
export type Locale = 'zh-TW' | 'en';
export const LOCALES: readonly Locale[] = ['zh-TW', 'en'];

import { zoneCity } from '@hallwatch/domain';

/** Shown where there is no value (yet): never 0 and never "NaN". */
export const NO_VALUE = '—';

export interface Formatters {
  locale: Locale;
  /** The time zone every time is shown in: the site's, whatever the clock of the screen says (the browser's before a site is chosen). */
  zone: string | undefined;
  /** The zone for people: "Taipei" / "New York" in English, the zone's generic name in Chinese (台北標準時間). */
  zoneName: string;
  /** A number with exactly `digits` decimals, grouped the locale's way. */
  number(value: number | null | undefined, digits?: number): string;
  /** A ratio (0.93) as a percentage (93%). */
  percent(ratio: number | null | undefined, digits?: number): string;
  /** 14:05:09 */
  time(ts: number): string;
  /** 14:05 */
  clock(ts: number): string;
  /** 2025/07/01 14:05 (zh-TW), 07/01/2025, 14:05 (en) */
  dateTime(ts: number): string;
  /** Month and day with the time, for chart axes and legends. */
  shortDateTime(ts: number): string;
  /** 2025/07/01 */
  date(ts: number): string;
  /** 07/01 */
  monthDay(ts: number): string;
  /** "12 秒前" / "12 sec. ago" */
  age(ms: number): string;
}

const cache = new Map<string, Formatters>();

/** Formatters of a language showing times in a time zone (a site's IANA zone). */
export function formatters(locale: Locale, zone?: string): Formatters {
  const key = `${locale} ${zone ?? ''}`;
  let known = cache.get(key);
  if (!known) {
    known = createFormatters(locale, zone);
    cache.set(key, known);
  }
  return known;
}

function createFormatters(locale: Locale, zone: string | undefined): Formatters {
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const numberFormat = (digits: number, style: 'decimal' | 'percent') => {
    const key = `${style}:${digits}`;
    let format = numberFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style, minimumFractionDigits: digits, maximumFractionDigits: digits });
      numberFormats.set(key, format);
    }
    return format;
  };
  const dateFormat = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { timeZone: zone, hourCycle: 'h23', ...options });
  const time = dateFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const clock = dateFormat({ hour: '2-digit', minute: '2-digit' });
  const dateTime = dateFormat({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const shortDateTime = dateFormat({ month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const date = dateFormat({ year: 'numeric', month: '2-digit', day: '2-digit' });
  const monthDay = dateFormat({ month: '2-digit', day: '2-digit' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' });

  const finite = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
  return {
    locale,
    zone,
    zoneName: zoneName(locale, zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
    number: (value, digits = 0) => (finite(value) ? numberFormat(digits, 'decimal').format(normaliseZero(value, digits)) : NO_VALUE),
    percent: (ratio, digits = 0) => (finite(ratio) ? numberFormat(digits, 'percent').format(ratio) : NO_VALUE),
    time: (ts) => time.format(ts),
    clock: (ts) => clock.format(ts),
    dateTime: (ts) => dateTime.format(ts),
    shortDateTime: (ts) => shortDateTime.format(ts),
    date: (ts) => date.format(ts),
    monthDay: (ts) => monthDay.format(ts),
    age: (ms) => {
      const seconds = Math.max(0, Math.round(ms / 1000));
      if (seconds < 60) return relative.format(-seconds, 'second');
      if (seconds < 3600) return relative.format(-Math.floor(seconds / 60), 'minute');
      if (seconds < 86_400) return relative.format(-Math.floor(seconds / 3600), 'hour');
      return relative.format(-Math.floor(seconds / 86_400), 'day');
    },
  };
}

function zoneName(locale: Locale, zone: string): string {
  if (locale === 'en') return zoneCity(zone);
  const name = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(Date.now())
    .find((part) => part.type === 'timeZoneName')?.value;
  return name ?? zoneCity(zone);
}

/** -0.04 shown with one decimal is "-0.0": show "0.0" instead. */
function normaliseZero(value: number, digits: number): number {
  return Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value;
}
