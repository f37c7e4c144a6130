import { z } from 'zod';
import { BUCKETS } from '@hallwatch/domain';
import { timeRangeQuery } from '../time-query';

export const readingsQuery = timeRangeQuery({
  bucket: z.enum(BUCKETS).default('raw'),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

export type ReadingsQuery = z.infer<typeof readingsQuery>;
