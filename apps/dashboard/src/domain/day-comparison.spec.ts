import { baselineShiftMs, dayComparisonWindows, siteBaselineYear } from './day-comparison';

const at = (taipei: string) => Date.parse(`${taipei}+08:00`);

describe('dayComparisonWindows', () => {
  it('compares Monday 30 Nov 2026 at 14:30 with Sunday up to 14:30 and with a Monday of 2015 near 30 Nov', () => {
    const { yesterday, baseline } = dayComparisonWindows(at('2026-11-30T14:30:00'), 2015);
    expect(yesterday).toEqual({ from: at('2026-11-29T00:00:00'), to: at('2026-11-29T14:30:00') });
    expect(new Date(baseline.day + 8 * 3_600_000).getUTCDay()).toBe(1); // a Monday, like 30 Nov 2026
    expect(baseline.from).toBe(at('2015-11-30T00:00:00'));
    expect(baseline.to).toBe(at('2015-11-30T14:30:00'));
  });

  it('lands within three days of the same date', () => {
    for (const day of ['2026-01-01', '2026-02-28', '2026-07-15', '2026-12-31']) {
      const { baseline } = dayComparisonWindows(at(`${day}T10:00:00`), 2015);
      const sameDate = at(`2015${day.slice(4)}T00:00:00`);
      expect(Math.abs(baseline.day - sameDate)).toBeLessThanOrEqual(3 * 86_400_000);
      expect(new Date(baseline.day + 8 * 3_600_000).getUTCDay()).toBe(new Date(at(`${day}T00:00:00`) + 8 * 3_600_000).getUTCDay());
    }
  });
});

describe('the baseline year', () => {
  it('is the site attribute when it is a plausible year, else 2015', () => {
    expect(siteBaselineYear({ baselineYear: 2016 })).toBe(2016);
    expect(siteBaselineYear({ baselineYear: 'soon' })).toBe(2015);
    expect(siteBaselineYear({})).toBe(2015);
  });
  it('lies a whole number of weeks back', () => {
    const shift = baselineShiftMs(at('2026-11-30T14:30:00'), 2015);
    expect(shift % (7 * 86_400_000)).toBe(0);
    expect(at('2026-11-30T14:30:00') - shift).toBe(at('2015-11-30T14:30:00'));
  });
});
