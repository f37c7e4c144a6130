import { presetPeriod } from './savings-period';

const at = (taipei: string) => Date.parse(`${taipei}+08:00`);

describe("presetPeriod (dates on the site's calendar, to exclusive)", () => {
  it.each([
    ['month-to-date', '2026-11-30T23:30:00', { from: '2026-11-01', to: '2026-12-01' }],
    ['last-month', '2026-01-10T09:00:00', { from: '2025-12-01', to: '2026-01-01' }],
    ['year-to-date', '2026-03-05T00:10:00', { from: '2026-01-01', to: '2026-03-06' }],
    ['last-half-year', '2026-11-30T12:00:00', { from: '2026-01-01', to: '2026-07-01' }],
    ['last-half-year', '2026-03-01T12:00:00', { from: '2025-07-01', to: '2026-01-01' }],
  ] as const)('%s at %s in Taipei', (preset, now, expected) => {
    expect(presetPeriod(preset, at(now), 'Asia/Taipei')).toEqual(expected);
  });

  it('reads the same instant on a New York calendar', () => {
    // 1 December 00:30 in Taipei is still 30 November in New York.
    const instant = Date.parse('2026-11-30T16:30:00Z');
    expect(presetPeriod('month-to-date', instant, 'Asia/Taipei')).toEqual({ from: '2026-12-01', to: '2026-12-02' });
    expect(presetPeriod('month-to-date', instant, 'America/New_York')).toEqual({ from: '2026-11-01', to: '2026-12-01' });
  });
});
