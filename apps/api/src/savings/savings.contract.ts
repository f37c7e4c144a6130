import { z } from 'zod';
import { tariffVersionSchema } from '@hallwatch/calc';
import { isoDateTime, isoDay } from '../openapi/common.schema';

const utility = z.enum(['electricity', 'water', 'fuel']);
const entered = { createdBy: z.string(), createdAt: isoDateTime, retiredBy: z.string().nullable(), retiredAt: isoDateTime.nullable() };

export const adjustment = z.object({
  id: z.number().int(),
  utility,
  kind: z.enum(['amount', 'exclude']),
  startsOn: isoDay,
  endsOn: isoDay,
  amount: z.number().nullable(),
  reason: z.string(),
  ...entered,
});

export const measure = z.object({
  id: z.number().int(),
  utility,
  name: z.string(),
  installedOn: isoDay,
  estimatedPerYear: z.number(),
  estimatedNtdPerYear: z.number().nullable(),
  note: z.string().nullable(),
  ...entered,
});

export const retired = z.object({ id: z.number().int(), retired: z.literal(true) });

export const target = z.object({
  baselineYear: z.number().int(),
  annualReductionPct: z.number(),
  createdBy: z.string(),
  createdAt: isoDateTime,
});

export const emissionFactors = z.object({
  unit: z.literal('kgCO2e/kWh'),
  factors: z.record(z.number()).describe('by year'),
  overridden: z.array(z.number().int()).describe('years whose factor was entered (over the built-in table)'),
});

export const tariffVersions = z.array(tariffVersionSchema);

const ENTERED = { createdBy: 'chen.officer', createdAt: '2026-03-02T01:00:00.000Z', retiredBy: null, retiredAt: null };

export const ADJUSTMENT_EXAMPLE = {
  id: 3,
  utility: 'electricity',
  kind: 'amount',
  startsOn: '2026-03-01',
  endsOn: '2026-04-01',
  amount: 1800,
  reason: '2F east wing moved in: 40 more staff',
  ...ENTERED,
};

export const MEASURE_EXAMPLE = {
  id: 1,
  utility: 'electricity',
  name: 'LED retrofit, floors 1-5',
  installedOn: '2026-02-01',
  estimatedPerYear: 120000,
  estimatedNtdPerYear: 480000,
  note: null,
  ...ENTERED,
};

export const TARGET_EXAMPLE = {
  baselineYear: 2024,
  annualReductionPct: 1,
  createdBy: 'chen.officer',
  createdAt: '2026-01-05T01:00:00.000Z',
};
