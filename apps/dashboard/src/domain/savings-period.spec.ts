import { presetPeriod } from './savings-period';

const at = (taipei: string) => Date.parse(`${taipei}+08:00`);

describe('presetPeriod (Taipei dates, to exclusive)', () => {
  it.each([
    ['month-to-date', '2026-11-30T23:30:00', { from: '2026-11-01', to: '2026-12-01' }],
    ['last-month', '2026-01-10T09:00:00', { from: '2025-12-01', to: '2026-01-01' }],
    ['year-to-date', '2026-03-05T00:10:00', { from: '2026-01-01', to: '2026-03-06' }],
    ['last-half-year', '2026-11-30T12:00:00', { from: '2026-01-01', to: '2026-07-01' }],
    ['last-half-year', '2026-03-01T12:00:00', { from: '2025-07-01', to: '2026-01-01' }],
  ] as const)('%s at %s', (preset, now, expected) => {
    expect(presetPeriod(preset, at(now))).toEqual(expected);
  });
});
