import { baselinePeriod } from './report-period';

describe('baselinePeriod', () => {
  it('takes the same dates in the baseline year', () => {
    expect(baselinePeriod({ from: '2017-07-01', to: '2018-01-01' }, 2015, 'same-dates')).toEqual({ from: '2015-07-01', to: '2016-01-01' });
  });

  it('moves the baseline by at most three days so that weekdays meet', () => {
    // 2025-03-03 is a Monday; 2024-03-03 a Sunday: the baseline starts on Monday 2024-03-04.
    const week = baselinePeriod({ from: '2025-03-03', to: '2025-03-10' }, 2024, 'same-weekdays');
    expect(week).toEqual({ from: '2024-03-04', to: '2024-03-11' });
    expect(new Date(`${week.from}T00:00:00Z`).getUTCDay()).toBe(1);
    // 2017-07-01 is a Saturday; 2015-07-01 a Wednesday: three days later is Saturday 2015-07-04.
    expect(baselinePeriod({ from: '2017-07-01', to: '2018-01-01' }, 2015, 'same-weekdays')).toEqual({
      from: '2015-07-04',
      to: '2016-01-04',
    });
  });
});
