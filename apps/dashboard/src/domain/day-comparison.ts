import { bucketStart } from '@hallwatch/domain';

const DAY_MS = 86_400_000;

/** The reference year of Taiwan's public-sector energy targets unless the site names another (attribute `baselineYear`). */
export const DEFAULT_BASELINE_YEAR = 2015;

export function siteBaselineYear(attributes: Record<string, unknown>): number {
  const year = Number(attributes.baselineYear);
  return Number.isInteger(year) && year >= 1990 && year <= 2100 ? year : DEFAULT_BASELINE_YEAR;
}

/** How far back the baseline year's same weekday lies: whole weeks, so Mondays meet Mondays. */
export function baselineShiftMs(now: number, baselineYear: number): number {
  return bucketStart(now, '1d') - dayComparisonWindows(now, baselineYear).baseline.day;
}
const WEEK_MS = 7 * DAY_MS;

export interface Window {
  from: number;
  to: number;
}

/**
 * The stretches of time that today so far is compared with: yesterday up to the same time of
 * day, and the same weekday of the baseline year (the date that many whole weeks back that lies
 * nearest today's date), also up to the same time of day. Taipei days.
 */
export function dayComparisonWindows(now: number, baselineYear: number): { yesterday: Window; baseline: Window & { day: number } } {
  const today = bucketStart(now, '1d');
  const elapsed = now - today;
  const sameDate = new Date(today + 8 * 3_600_000);
  sameDate.setUTCFullYear(baselineYear);
  const weeks = Math.round((today - (sameDate.getTime() - 8 * 3_600_000)) / WEEK_MS);
  const day = today - weeks * WEEK_MS;
  return {
    yesterday: { from: today - DAY_MS, to: today - DAY_MS + elapsed },
    baseline: { day, from: day, to: day + elapsed },
  };
}
