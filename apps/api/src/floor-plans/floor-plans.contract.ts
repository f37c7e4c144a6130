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

export const FLOOR_PLAN_EXAMPLE = {
  site: 'demo-city-hall',
  floor: '2F',
  kind: 'svg',
  svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect data-zone="zone-2f-east" width="100" height="100"/></svg>',
  updatedBy: 'lin.engineer',
  updatedAt: '2026-11-28T06:00:00.000Z',
};
