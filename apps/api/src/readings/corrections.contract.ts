import { z } from 'zod';
import { isoDateTime } from '../openapi/common.schema';

/** POST …/readings/corrections: a new value for the reading at `ts`, or `void: true` to remove it from the data. */
export const correctionBody = z
  .object({
    ts: z.coerce.date({ message: 'the stored reading to correct: its time as ISO 8601 with an offset, or epoch ms' }),
    value: z.number().finite().optional(),
    void: z.literal(true).optional(),
    reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500, 'a reason is at most 500 characters'),
  })
  .strict()
  .refine((body) => (body.value === undefined) !== (body.void === undefined), {
    message: 'give either a corrected value or void: true',
    path: ['value'],
  });
export type CorrectionBody = z.infer<typeof correctionBody>;

export const readingCorrection = z.object({
  id: z.number().int(),
  ts: isoDateTime.describe("the corrected reading's time"),
  action: z.enum(['correct', 'void']),
  originalValue: z.number().describe('the value as it was stored before this correction'),
  value: z.number().nullable().describe('the corrected value; null when voided'),
  reason: z.string(),
  correctedBy: z.string(),
  correctedAt: isoDateTime,
});

export const CORRECTION_EXAMPLE = {
  id: 7,
  ts: '2025-03-09T08:15:00.000Z',
  action: 'correct',
  originalValue: 1203456.5,
  value: 120345.65,
  reason: 'meter sent the value with the decimal point shifted',
  correctedBy: 'engineer-wang',
  correctedAt: '2025-03-10T02:00:00.000Z',
};

export const correctionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
