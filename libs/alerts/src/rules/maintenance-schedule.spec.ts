import { dueDatesBetween, runHourTaskDue } from './maintenance-schedule';
import { nightBaseLoadKw } from './night-base-load';

describe('maintenance schedules', () => {
  it.each([
    ['weekly', '2026-01-05', '2026-01-06', '2026-01-13', '2026-01-12'],
    ['monthly', '2026-01-31', '2026-02-01', '2026-03-01', '2026-02-28'],
    ['monthly', '2026-01-31', '2026-03-01', '2026-04-01', '2026-03-31'],
    ['quarterly', '2026-01-15', '2026-02-01', '2026-05-01', '2026-04-15'],
    ['semi-annual', '2026-01-15', '2026-01-16', '2026-08-01', '2026-07-15'],
    ['annual', '2024-02-29', '2024-03-01', '2025-03-01', '2025-02-28'],
  ] as const)('%s from %s: between %s and %s falls %s (month ends clamp)', (recurrence, anchor, from, to, due) => {
    expect(dueDatesBetween(recurrence, anchor, from, to)).toEqual([due]);
  });

  it('lists the occurrences in a range', () => {
    expect(dueDatesBetween('monthly', '2026-01-31', '2026-01-01', '2026-05-01')).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    expect(dueDatesBetween('weekly', '2026-01-05', '2026-01-10', '2026-01-27')).toEqual(['2026-01-12', '2026-01-19', '2026-01-26']);
  });

  it('makes run-hour tasks due every 2,000 hours', () => {
    expect(runHourTaskDue({ everyHours: 2000, lastDoneAtHours: 4000 }, 5999)).toEqual({ due: false, hoursUntilDue: 1 });
    expect(runHourTaskDue({ everyHours: 2000, lastDoneAtHours: 4000 }, 6000.5)).toEqual({ due: true, hoursUntilDue: -0.5 });
  });
});

describe('night base load', () => {
  it('takes the 90th percentile of night readings only', () => {
    const samples = Array.from({ length: 24 }, (_, i) => ({
      ts: Date.parse('2026-07-06T00:00:00+08:00') + i * 30 * 60_000,
      value: i < 12 ? i * 10 : 5000,
    }));
    // 00:00-05:30 are night: 0, 10, ..., 110 on each of two nights; the morning's 5,000 kW is ignored.
    // 24 night values sorted: 0, 0, 10, 10, ..., 110, 110; rank 0.9 × 23 = 20.7 lies between two 100s.
    const zone = 'Asia/Taipei';
    expect(nightBaseLoadKw([...samples, ...samples.map((s) => ({ ...s, ts: s.ts + 86_400_000 }))], { zone })).toBeCloseTo(100, 6);
    expect(nightBaseLoadKw(samples.slice(0, 5), { zone })).toBeNull();
  });

  it("reads the nights on the site's clock", () => {
    // Two days every 30 minutes: 100 kW in Taipei's nights (22:00-06:00), 500 kW otherwise.
    const samples = Array.from({ length: 96 }, (_, i) => {
      const ts = Date.parse('2026-07-06T00:00:00+08:00') + i * 30 * 60_000;
      const hour = (i / 2) % 24;
      return { ts, value: hour >= 22 || hour < 6 ? 100 : 500 };
    });
    expect(nightBaseLoadKw(samples, { zone: 'Asia/Taipei' })).toBeCloseTo(100, 6);
    // New York's nights (22:00-06:00 EDT) are 10:00-18:00 in Taipei: the 500 kW of Taipei's office hours.
    expect(nightBaseLoadKw(samples, { zone: 'America/New_York' })).toBeCloseTo(500, 6);
  });
});
