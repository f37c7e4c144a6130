import { addDays } from '@hallwatch/domain';

/** A run of days without data, as the savings report serves it: [from, to] inclusive, ISO dates. */
export interface MissingSpan {
  from: string;
  to: string;
}

/** Whether a month of a period has data on all its days, some, or none. */
export type MonthCoverage = 'whole' | 'partial' | 'none';

/**
 * Each month (YYYY-MM) of a period [from, to) by how many of its days lack data, from the report's
 * missing spans: the months table shows "—" for a month with none instead of 0, and marks a partial one.
 */
export function monthCoverage(period: { from: string; to: string }, missing: readonly MissingSpan[]): Map<string, MonthCoverage> {
  const counts = new Map<string, { days: number; missing: number }>();
  for (let date = period.from; date < period.to; date = addDays(date, 1)) {
    const month = date.slice(0, 7);
    const count = counts.get(month) ?? { days: 0, missing: 0 };
    count.days++;
    if (missing.some((span) => date >= span.from && date <= span.to)) count.missing++;
    counts.set(month, count);
  }
  return new Map(
    [...counts].map(([month, count]) => [month, count.missing === 0 ? 'whole' : count.missing === count.days ? 'none' : 'partial']),
  );
}

/** The baseline's months keyed as the reporting period's (same month, the period's year), as the report's rows are. */
export function inReportingYear(coverage: ReadonlyMap<string, MonthCoverage>, reportingYear: string): Map<string, MonthCoverage> {
  return new Map([...coverage].map(([month, value]) => [`${reportingYear}${month.slice(4)}`, value]));
}
