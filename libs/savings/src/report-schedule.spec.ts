import { localDate } from '@hallwatch/domain';
import { latestCompletedPeriod } from './report-schedule';

describe('latestCompletedPeriod', () => {
  it.each([
    ['monthly', '2026-12-01', { from: '2026-11-01', to: '2026-12-01' }],
    ['monthly', '2026-12-31', { from: '2026-11-01', to: '2026-12-01' }],
    ['monthly', '2027-01-01', { from: '2026-12-01', to: '2027-01-01' }],
    ['half-yearly', '2026-07-01', { from: '2026-01-01', to: '2026-07-01' }],
    ['half-yearly', '2026-06-30', { from: '2025-07-01', to: '2026-01-01' }],
    ['half-yearly', '2027-01-01', { from: '2026-07-01', to: '2027-01-01' }],
  ] as const)('%s on %s', (cadence, today, period) => {
    expect(latestCompletedPeriod(cadence, today)).toEqual(period);
  });

  it("ends a month on the site's calendar", () => {
    const instant = Date.parse('2026-11-30T16:30:00Z'); // 1 December 00:30 in Taipei, still 30 November in New York
    expect(latestCompletedPeriod('monthly', localDate(instant, 'Asia/Taipei'))).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(latestCompletedPeriod('monthly', localDate(instant, 'America/New_York'))).toEqual({ from: '2026-10-01', to: '2026-11-01' });
  });
});
