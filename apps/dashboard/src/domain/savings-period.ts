/** Periods an energy officer asks about, as Taipei calendar dates with `to` exclusive. */
export type PeriodPreset = 'month-to-date' | 'last-month' | 'year-to-date' | 'last-half-year';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month-to-date', 'last-month', 'year-to-date', 'last-half-year'];

const TAIPEI_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (year: number, month: number, day: number) => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
};

export function presetPeriod(preset: PeriodPreset, now: number): { from: string; to: string } {
  const today = new Date(now + TAIPEI_OFFSET_MS);
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
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
