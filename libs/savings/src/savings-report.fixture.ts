import type { DailyUsage } from './savings-data.repository';
import { addDays, daysBetween } from './report-period';
import type { SavingsInputs } from './savings-report';

/** `perDay` on every date from `from` to `to` (exclusive), or what `usage` says for a date (null: no data). */
export function dailySeries(from: string, to: string, usage: number | ((date: string) => number | null)): DailyUsage[] {
  const days: DailyUsage[] = [];
  for (let i = 0; i < daysBetween(from, to); i++) {
    const date = addDays(from, i);
    const value = typeof usage === 'number' ? usage : usage(date);
    if (value !== null) days.push({ date, usage: value, flags: 0, estimated: 0 });
  }
  return days;
}

/** A same-period electricity report's inputs, for tests of buildSavingsReport: override what matters. */
export function savingsInputs(overrides: Partial<SavingsInputs> = {}): SavingsInputs {
  return {
    site: { key: 'hall', name: 'Hall' },
    utility: 'electricity',
    method: 'same-period',
    lang: 'zh-TW',
    alignment: 'same-dates',
    period: { from: '2017-07-01', to: '2018-01-01' },
    baseline: { from: '2015-07-01', to: '2016-01-01' },
    baselineYear: 2015,
    reference: 'baseline-year',
    current: dailySeries('2017-07-01', '2018-01-01', 900),
    previous: dailySeries('2015-07-01', '2016-01-01', 1_000),
    temperatures: new Map(),
    modelBaseline: null,
    adjustments: [],
    measures: [],
    target: null,
    bills: null,
    unitPrice: null,
    emissionFactors: {},
    confidence: 0.68,
    generatedAt: '2018-01-02T00:00:00.000Z',
    ...overrides,
  };
}
