import { z } from 'zod';
import { BUCKETS } from '@hallwatch/domain';
import { timeRangeQuery } from '../time-query';
import { cursorParameter, cursorParts, limitParameter } from '../pagination/page-cursor';

export const readingsQuery = timeRangeQuery({
  bucket: z.enum(BUCKETS).default('raw'),
  limit: limitParameter(10_000, 100_000),
  /** The time (epoch ms) of the last row of the page before: the next page starts after it. */
  cursor: cursorParameter('readings', cursorParts.epoch).optional(),
  /** The unit to answer in (kWh for a Wh meter, °F for a °C sensor): converted on read. */
  unit: z.string().min(1).max(32).optional(),
});

export type ReadingsQuery = z.infer<typeof readingsQuery>;
