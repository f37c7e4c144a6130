import { z } from 'zod';
import { isoDateTime, isoDay } from '../openapi/common.schema';

const period = z
  .object({
    from: isoDay.describe("the first day, on the site's calendar"),
    to: isoDay.describe('the day after the last (exclusive)'),
    label: z.string(),
    days: z.number().int(),
    daysWithData: z.number().int(),
  })
  .passthrough();

const missingSpan = z.object({ from: isoDay, to: isoDay, days: z.number().int() });

/** The savings report as JSON; its tables, lines and charts are described in docs (the CSV/XLSX/PDF carry the same). */
export const savingsReport = z
  .object({
    site: z.object({ key: z.string(), name: z.string() }),
    utility: z.enum(['electricity', 'water', 'fuel']),
    unit: z.string(),
    method: z.enum(['same-period', 'normalised']),
    lang: z.enum(['zh-TW', 'en']),
    alignment: z.enum(['same-dates', 'same-weekdays']),
    generatedAt: isoDateTime,
    period,
    baseline: period.extend({ year: z.number().int(), rocYear: z.number().int(), reference: z.enum(['baseline-year', 'previous-year']) }),
    summary: z.string().describe('the headline: the council sentence, the normalised result, or why there is no number'),
    summaryMethod: z.enum(['same-period', 'normalised', 'none']),
    totals: z.object({
      current: z.number(),
      baseline: z.number(),
      difference: z.number(),
      percent: z.number().nullable(),
      adjustments: z.number(),
      adjustedBaseline: z.number(),
      adjustedDifference: z.number(),
      adjustedPercent: z.number().nullable(),
    }),
    months: z.array(
      z.object({ month: z.string(), current: z.number(), baseline: z.number(), difference: z.number(), percent: z.number().nullable() }),
    ),
    cost: z
      .object({
        current: z.number().nullable(),
        baseline: z.number().nullable(),
        saving: z.number().nullable(),
        basis: z.string().describe('how the money was worked out (tariff or unit price)'),
      })
      .passthrough(),
    emissions: z.object({ currentKg: z.number(), baselineKg: z.number(), differenceKg: z.number() }).passthrough(),
    kpi: z
      .array(
        z.object({ name: z.string(), unit: z.string(), target: z.number(), actual: z.number(), achievementRatio: z.number().nullable() }),
      )
      .nullable(),
    dataQuality: z
      .object({
        notes: z.array(z.string()),
        missing: z
          .object({ period: z.array(missingSpan), baseline: z.array(missingSpan) })
          .describe('runs of days without any data, [from, to] inclusive: never counted as 0'),
      })
      .passthrough(),
  })
  .passthrough();

export const portfolioReport = savingsReport.and(
  z.object({ portfolio: z.object({ name: z.string(), sites: z.array(z.object({}).passthrough()) }) }),
);

export const reportRun = z.object({
  id: z.string().uuid(),
  kind: z.literal('savings'),
  params: z.record(z.unknown()).describe('the savings request'),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number(),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  scheduleId: z.number().int().nullable(),
  emailedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
});

export const reportSchedule = z.object({
  id: z.number().int(),
  params: z.record(z.unknown()),
  cadence: z.enum(['monthly', 'half-yearly']),
  recipients: z.array(z.string()),
  createdBy: z.string(),
  createdAt: isoDateTime,
  enabled: z.boolean(),
});

export const disabledSchedule = z.object({ id: z.number().int(), enabled: z.literal(false) });
