import { z } from 'zod';
import { REJECT_REASONS } from '@hallwatch/readings';
import { isoDateTime, pageCursor } from '../openapi/common.schema';

/** A dead letter's id: a bigint, as text everywhere (answers and the replay path), as JSON numbers cannot hold every bigint. */
const deadLetterId = z.string().regex(/^\d{1,18}$/);

export const deadLetter = z.object({
  id: deadLetterId,
  source: z.string(),
  topic: z.string().optional(),
  payload: z.string().describe('the message, or its beginning when payloadTruncated'),
  reason: z.enum(REJECT_REASONS),
  detail: z.string().optional(),
  receivedAt: isoDateTime,
  count: z.number().int().describe('repeats of the same source, reason and topic within the window'),
  lastReceivedAt: isoDateTime,
  payloadBytes: z.number().int(),
  payloadSha256: z.string().optional(),
  payloadTruncated: z.boolean(),
  replayedAt: isoDateTime.optional(),
});

export const deadLetterPage = z.object({
  items: z.array(deadLetter),
  next: pageCursor,
});

export const deadLetterSummary = z.array(
  z.object({ source: z.string(), reason: z.string(), rows: z.number(), kept: z.number(), notKept: z.number() }),
);

export const replayResult = z.object({
  replayed: z.array(deadLetterId),
  rejected: z.array(z.object({ id: deadLetterId, detail: z.string().optional() })),
  pending: z.array(deadLetterId),
  skipped: z.array(z.object({ id: deadLetterId, why: z.string() })),
});

export const ledger = z.array(
  z.object({
    source: z.string(),
    lastSeen: isoDateTime,
    counts: z.record(z.number()).describe('readings per outcome: stored, duplicate, late, rejected by reason'),
  }),
);

export const DEAD_LETTERS_EXAMPLE = {
  items: [
    {
      id: '981',
      source: 'mqtt',
      topic: 'hallwatch/v1/demo-city-hall/main-incomer',
      payload: '{"ts":1796083200000,"values":{"kVAr":12.5}}',
      reason: 'unknown-point',
      detail: 'no point kVAr on demo-city-hall/main-incomer',
      receivedAt: '2026-12-01T00:00:00.412Z',
      count: 3,
      lastReceivedAt: '2026-12-01T00:00:30.418Z',
      payloadBytes: 44,
      payloadTruncated: false,
    },
  ],
  next: 'MTc5NjA4MzIwMDQxMjAwMDo5ODE',
};
