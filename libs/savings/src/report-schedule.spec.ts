import { latestCompletedPeriod, taipeiToday } from './report-schedule';

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

  it('reads today on Taipei time', () => {
    expect(taipeiToday(Date.parse('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
  });
});
