import { localDate } from '@hallwatch/domain';

/** Periods an energy officer asks about, as dates on the site's calendar with `to` exclusive. */
export type PeriodPreset = 'month-to-date' | 'last-month' | 'year-to-date' | 'last-half-year';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month-to-date', 'last-month', 'year-to-date', 'last-half-year'];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (year: number, month: number, day: number) => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
};

/** The period of a preset on the site's calendar (its time zone `zone`) at `now`. */
export function presetPeriod(preset: PeriodPreset, now: number, zone: string): { from: string; to: string } {
  const [y, m, d] = localDate(now, zone).split('-').map(Number);
  switch (preset) {
    case 'month-to-date':
      return { from: iso(y, m, 1), to: iso(y, m, d + 1) };
    case 'last-month':
      return { from: iso(y, m - 1, 1), to: iso(y, m, 1) };
    case 'year-to-date':
      return { from: iso(y, 1, 1), to: iso(y, m, d + 1) };
    case 'last-half-year':
      return m > 6 ? { from: iso(y, 1, 1), to: iso(y, 7, 1) } : { from: iso(y - 1, 7, 1), to: iso(y, 1, 1) };
  }
}
