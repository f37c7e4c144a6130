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
      chillerPoints: z
        .array(
          z.object({
            asset: z.string(),
            running: z.string().nullable().describe('on/off status (`run`)'),
            runState: z.string().nullable().describe('multistate off/on/fault... (`run`)'),
            alarm: z.string().nullable(),
            power: z.string().nullable(),
            leavingTemp: z.string().nullable().describe('chilled water leaving (supply) temperature'),
            enteringTemp: z.string().nullable().describe('chilled water entering (return) temperature'),
            capacity: z.string().nullable().describe('cooling made (`cooling capacity`, RT)'),
          }),
        )
        .describe('each chiller of `chillers`, in the same order, with the keys of its points'),
      zones: z.array(
        z.object({
          asset: z.string(),
          temperature: z.string().nullable(),
          humidity: z.string().nullable(),
          co2: z.string().nullable(),
          setpoint: z.string().nullable(),
          occupied: z.string().nullable(),
        }),
      ),
      pv: z.object({ asset: z.string(), power: z.string().nullable() }).nullable(),
    })
    .describe(
      'the main electricity meter, the outdoor temperature, the chillers, the zones and PV with the points each page reads, found by their Haystack tags (not by key names)',
    ),
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
