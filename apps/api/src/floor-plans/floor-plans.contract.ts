import { z } from 'zod';
import { isoDateTime } from '../openapi/common.schema';

export const floorPlan = z.object({
  site: z.string(),
  floor: z.string(),
  kind: z.enum(['grid', 'svg']),
  svg: z.string().nullable().describe('the checked, re-serialised drawing; null for the generated grid'),
  updatedBy: z.string(),
  updatedAt: isoDateTime,
});
