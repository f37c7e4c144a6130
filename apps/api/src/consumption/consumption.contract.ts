import { z } from 'zod';
import { UTILITIES } from '@hallwatch/readings';
import { isoDateTime } from '../openapi/common.schema';
import { coverageSchema } from './coverage.schema';

const epochMs = z.number().int().describe('epoch milliseconds');

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
  rows: z.array(z.object({ ts: epochMs, value: z.number(), flags: z.number().int(), estimated: z.number() })),
});

export const demandAnswer = z.object({
  site: z.string(),
  timezone: z.string(),
  from: isoDateTime,
  to: isoDateTime,
  contractCapacityKw: z.number().nullable(),
  maximum: z.object({ ts: epochMs, kW: z.number() }).nullable(),
  rows: z.array(z.object({ ts: epochMs, kW: z.number(), flags: z.number().int() })),
});

/** The overview's outline; its energy and demand parts carry more (see the route's description). */
export const overviewAnswer = z
  .object({
    site: z.string(),
    demoHistory: z.object({ percent: z.number().int(), finished: z.boolean() }).nullable(),
    energy: z.object({}).passthrough(),
  })
  .passthrough();
