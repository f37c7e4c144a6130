import { Period, samePeriodInYear } from '@hallwatch/calc';
import { addDays, daysBetween, startOfLocalDate, weekdayOfDate } from '@hallwatch/domain';

export type Alignment = 'same-dates' | 'same-weekdays';

export { addDays, daysBetween };

export function datesOf(period: Period): string[] {
  return Array.from({ length: daysBetween(period.from, period.to) }, (_, i) => addDays(period.from, i));
}

/** A period of local dates (`to` exclusive) as instants: from the site's midnight of `from` to its midnight of `to`. */
export function periodRange(period: Period, zone: string): [Date, Date] {
  return [new Date(startOfLocalDate(period.from, zone)), new Date(startOfLocalDate(period.to, zone))];
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
  let shift = (weekdayOfDate(period.from) - weekdayOfDate(same.from) + 7) % 7;
  if (shift > 3) shift -= 7;
  return { from: addDays(same.from, shift), to: addDays(same.from, shift + daysBetween(period.from, period.to)) };
}

/** Whole calendar year [Jan 1, Jan 1). */
export function calendarYear(year: number): Period {
  return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
}
