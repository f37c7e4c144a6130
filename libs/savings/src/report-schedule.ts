import { halfYear, Period } from '@hallwatch/calc';

export type ReportCadence = 'monthly' | 'half-yearly';

/** The newest whole month or half-year that has ended on `today` (an ISO date on the site's calendar). */
export function latestCompletedPeriod(cadence: ReportCadence, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (cadence === 'half-yearly') return month >= 7 ? halfYear(year, 1) : halfYear(year - 1, 2);
  const start = month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, '0')}-01`;
  return { from: start, to: `${today.slice(0, 7)}-01` };
}
