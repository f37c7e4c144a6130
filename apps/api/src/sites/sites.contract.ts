import { z } from 'zod';
import { attributes, isoDateTime } from '../openapi/common.schema';

/** What the sites routes answer. */

export const siteView = z.object({
  key: z.string(),
  name: z.string(),
  timezone: z.string().describe("IANA time zone: the site's days, months, schedules and reports"),
  baselineYear: z.number().int(),
  attributes,
});

const pointView = z.object({
  key: z.string(),
  name: z.string().nullable(),
  kind: z.string(),
  unit: z.string(),
  tags: z.array(z.string()),
  attributes,
  expression: z.string().nullable(),
  states: z
    .array(z.object({ value: z.number().int(), en: z.string(), 'zh-TW': z.string().optional() }))
    .nullable()
    .describe('a multistate point: the values it takes and their labels (English, Traditional Chinese)'),
});

const pointAt = z.object({ asset: z.string(), point: z.string() });

export const siteDetailView = siteView.extend({
  assets: z.array(
    z.object({ key: z.string(), name: z.string(), type: z.string(), tags: z.array(z.string()), attributes, points: z.array(pointView) }),
  ),
  roles: z
    .object({
      mainMeter: z.object({ asset: z.string(), power: z.string().nullable(), energy: z.string().nullable() }).nullable(),
      outdoorTemperature: pointAt.nullable(),
      outdoorHumidity: pointAt.nullable(),
      chillers: z.array(z.string()),
    })
    .describe('the main electricity meter, the outdoor temperature and the chillers, found by their Haystack tags (not by key names)'),
});

export const registerReplacement = z.object({
  id: z.number().int(),
  replacedAt: isoDateTime,
  startValue: z.number(),
  note: z.string().nullable(),
  createdBy: z.string(),
});

export const SITE_EXAMPLE = {
  key: 'demo-city-hall',
  name: 'Demo City Hall',
  timezone: 'Asia/Taipei',
  baselineYear: 2024,
  attributes: { floorAreaM2: 42000 },
};
