import { z } from 'zod';
import { UTILITIES } from '@hallwatch/readings';
import { isoDateTime, isoDay } from '../openapi/common.schema';
import { coverageSchema } from './coverage.schema';

export const consumptionAnswer = z.object({
  site: z.string(),
  timezone: z.string(),
  utility: z.enum(UTILITIES),
  unit: z.string(),
  bucket: z.enum(['15m', '1h', '1d']),
  from: isoDateTime,
  to: isoDateTime,
  total: z.number(),
  estimated: z.number().describe('of the total, what was estimated across meter gaps'),
  flags: z.number().int().describe('bit flags of the register steps: 1 gap, 2 meter reset, 4 spike discarded, 8 rollover'),
  coverage: coverageSchema.nullable().describe('how much of the period has data; null for fuel (a log of refuellings)'),
  rows: z.array(z.object({ ts: isoDateTime, value: z.number(), flags: z.number().int(), estimated: z.number() })),
});

export const demandAnswer = z.object({
  site: z.string(),
  timezone: z.string(),
  from: isoDateTime,
  to: isoDateTime,
  contractCapacityKw: z.number().nullable(),
  maximum: z.object({ ts: isoDateTime, kW: z.number() }).nullable(),
  rows: z.array(z.object({ ts: isoDateTime, kW: z.number(), flags: z.number().int() })),
});

/** A day's energy from its local midnight to the same local time of day as today's count. */
const dayEnergy = z.object({
  date: isoDay.describe("the site's local date"),
  from: isoDateTime.describe('its local midnight'),
  to: isoDateTime,
  kWh: z.number().nullable().describe('null when the window has no data at all (never 0 for missing)'),
  estimatedKwh: z.number().describe('of kWh, what was estimated across meter gaps'),
  coverage: coverageSchema,
});
const demandLevel = z.enum(['normal', 'near', 'over']);
const quarterKw = z.object({ from: isoDateTime, kW: z.number() });

/** The overview: today's energy against yesterday and the baseline weekday, and the running 15-minute demand. */
export const overviewAnswer = z
  .object({
    site: z.string(),
    demoHistory: z.object({ percent: z.number().int(), finished: z.boolean() }).nullable(),
    timezone: z.string(),
    at: isoDateTime,
    dataThrough: isoDateTime.nullable().describe('the newest register reading counted'),
    energy: z
      .object({
        unit: z.literal('kWh'),
        today: dayEnergy.extend({ flags: z.number().int() }),
        yesterday: dayEnergy.extend({ change: z.number().nullable(), partial: z.boolean() }),
        baseline: dayEnergy.extend({ year: z.number().int(), change: z.number().nullable(), partial: z.boolean() }),
      })
      .passthrough(),
    demand: z
      .object({
        contractCapacityKw: z.number().nullable(),
        quarter: z.object({
          from: isoDateTime,
          to: isoDateTime,
          through: isoDateTime,
          kWh: z.number(),
          kW: z.number(),
          share: z.number().nullable(),
          level: demandLevel.nullable(),
          forecastKw: z.number().nullable(),
          forecastLevel: demandLevel.nullable(),
        }),
        previousQuarter: quarterKw.nullable(),
        peakToday: quarterKw.nullable().describe("today's highest quarter hour, the running one included"),
        latestKw: z.object({ ts: isoDateTime, kW: z.number() }).nullable(),
      })
      .passthrough(),
  })
  .passthrough();

const COVERAGE_EXAMPLE = {
  quarters: 8,
  quartersWithData: 8,
  share: 1,
  partial: false,
  firstData: '2026-12-01T00:00:00.000Z',
  lastData: '2026-12-01T01:59:45.000Z',
};

export const CONSUMPTION_EXAMPLE = {
  site: 'demo-city-hall',
  timezone: 'Asia/Taipei',
  utility: 'electricity',
  unit: 'kWh',
  bucket: '1h',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-01T02:00:00.000Z',
  total: 842.6,
  estimated: 0,
  flags: 0,
  coverage: COVERAGE_EXAMPLE,
  rows: [
    { ts: '2026-12-01T00:00:00.000Z', value: 410.2, flags: 0, estimated: 0 },
    { ts: '2026-12-01T01:00:00.000Z', value: 432.4, flags: 0, estimated: 0 },
  ],
};

export const DEMAND_EXAMPLE = {
  site: 'demo-city-hall',
  timezone: 'Asia/Taipei',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-01T00:30:00.000Z',
  contractCapacityKw: 1000,
  maximum: { ts: '2026-12-01T00:15:00.000Z', kW: 436.8 },
  rows: [
    { ts: '2026-12-01T00:00:00.000Z', kW: 412.4, flags: 0 },
    { ts: '2026-12-01T00:15:00.000Z', kW: 436.8, flags: 0 },
  ],
};
