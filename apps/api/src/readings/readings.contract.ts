import { z } from 'zod';
import { BUCKETS } from '@hallwatch/domain';
import { isoDateTime, pageCursor } from '../openapi/common.schema';

const rawReading = z.object({
  ts: isoDateTime,
  value: z.number(),
  flags: z.number().int(),
  quality: z
    .enum(['good', 'uncertain'])
    .describe(
      'uncertain: the source said so (OPC UA Uncertain, Sparkplug Quality 64, native quality); bad values are refused, never stored',
    ),
  label: z.string().optional().describe("a multistate point: the state's English label"),
  labelZhTw: z.string().optional().describe("a multistate point: the state's Traditional Chinese label"),
});

const rollupReading = z.object({
  ts: isoDateTime.describe("the bucket's start"),
  consumption: z.number().nullable().describe('cumulative points: what the register counted in the bucket'),
  consumptionFlags: z.number().int(),
  estimated: z.number().nullable(),
  mean: z.number().nullable(),
  twMean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  count: z.number().int(),
  sum: z.number(),
  first: z.number().nullable(),
  last: z.number().nullable(),
});

const readingsEnvelope = z.object({
  site: z.string(),
  asset: z.string(),
  point: z.string(),
  kind: z.string(),
  unit: z.string(),
  states: z
    .array(z.object({ value: z.number().int(), en: z.string(), 'zh-TW': z.string().optional() }))
    .nullable()
    .describe('a multistate point: its states and their labels'),
  timezone: z.string(),
  from: isoDateTime,
  to: isoDateTime,
  truncated: z.boolean().describe('more rows exist than `limit`: `next` continues'),
  next: pageCursor,
});

/** What GET …/points/{point}/readings answers: raw readings (bucket `raw`), or rollups of the bucket. */
export const readingsAnswer = z.discriminatedUnion('bucket', [
  readingsEnvelope.extend({ bucket: z.literal('raw'), readings: z.array(rawReading) }),
  readingsEnvelope.extend({ bucket: z.enum(BUCKETS).exclude(['raw']), readings: z.array(rollupReading) }),
]);

export const READINGS_EXAMPLE = {
  site: 'demo-city-hall',
  asset: 'main-incomer',
  point: 'kW',
  kind: 'gauge',
  unit: 'kW',
  states: null,
  bucket: 'raw',
  timezone: 'Asia/Taipei',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-01T00:01:00.000Z',
  truncated: false,
  next: null,
  readings: [
    { ts: '2026-12-01T00:00:00.000Z', value: 412.5, flags: 0, quality: 'good' },
    { ts: '2026-12-01T00:00:15.000Z', value: 415.1, flags: 8, quality: 'uncertain' },
  ],
};
