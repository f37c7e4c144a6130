import { Period, samePeriodInYear } from '@hallwatch/calc';

export type Alignment = 'same-dates' | 'same-weekdays';

const DAY_MS = 86_400_000;

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function datesOf(period: Period): string[] {
  return Array.from({ length: daysBetween(period.from, period.to) }, (_, i) => addDays(period.from, i));
}

/** A Taipei calendar date's first instant. */
export function taipeiMidnight(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+08:00`);
}

/**
 * The baseline period for a reporting period. `same-dates` takes the same calendar dates in the
 * baseline year. `same-weekdays` then moves the baseline by at most three days, so that each
 * reporting day is compared with a baseline day of the same weekday (Mondays with Mondays), which
 * matters for short periods where a weekend more or less shows up as a saving.
 */
export function baselinePeriod(period: Period, baselineYear: number, alignment: Alignment): Period {
  const same = samePeriodInYear(period, baselineYear);
  if (alignment === 'same-dates') return same;
  const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
  let shift = (weekday(period.from) - weekday(same.from) + 7) % 7;
  if (shift > 3) shift -= 7;
  return { from: addDays(same.from, shift), to: addDays(same.from, shift + daysBetween(period.from, period.to)) };
}

/** Whole calendar year [Jan 1, Jan 1). */
export function calendarYear(year: number): Period {
  return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
}
