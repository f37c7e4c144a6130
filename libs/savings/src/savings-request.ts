import { z } from 'zod';
import { isIsoDate } from '@hallwatch/domain';

/**
 * A date that exists (not 2025-02-30), in the years savings are reckoned for: a report from
 * 0001-01-01 used to end in a RangeError and a 500.
 */
export const savingsDate = z
  .string()
  .refine((text) => isIsoDate(text) && text >= '1900-01-01' && text <= '2100-12-31', 'a date as YYYY-MM-DD, from 1900 to 2100');
const isoDate = savingsDate;

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const requestFields = {
  utility: z.enum(['electricity', 'water', 'fuel']).default('electricity'),
  method: z.enum(['same-period', 'normalised']).default('same-period'),
  from: isoDate,
  to: isoDate,
  baselineYear: z.coerce.number().int().min(1990).max(2100).optional(),
  baselineFrom: isoDate.optional(),
  baselineTo: isoDate.optional(),
  alignment: z.enum(['same-dates', 'same-weekdays']).default('same-dates'),
  reference: z.enum(['baseline-year', 'previous-year']).optional(),
  confidence: z.coerce
    .number()
    .refine((c) => [0.68, 0.8, 0.9, 0.95].includes(c), 'confidence is one of 0.68, 0.8, 0.9, 0.95')
    .default(0.68),
  format: z.enum(REPORT_FORMATS).default('json'),
  /**
   * The normalised method's model: CalTRACK daily (default; degree-days from hourly temperatures
   * when every day has them), CalTRACK daily on daily mean temperatures as published, or the
   * hourly time-of-week-and-temperature model.
   */
  model: z.enum(['daily', 'daily-mean', 'hourly']).optional(),
  /** The zh-TW headline as the council writes it, or spaced as Hallwatch wrote it before. */
  sentence: z.enum(['council', 'spaced']).optional(),
  lang: z.enum(['zh-TW', 'en']).default('zh-TW'),
};

type PeriodFields = { from: string; to: string; baselineFrom?: string; baselineTo?: string };
const fromBeforeTo = (r: PeriodFields) => r.from < r.to;
const baselineTogether = (r: PeriodFields) => (r.baselineFrom === undefined) === (r.baselineTo === undefined);
const baselineInOrder = (r: PeriodFields) => !r.baselineFrom || !r.baselineTo || r.baselineFrom < r.baselineTo;

/**
 * What a savings report is asked for, from the query string or a job. Periods are dates on the
 * site's calendar (its time zone) with `to` exclusive: 2017 H2 is from=2017-07-01&to=2018-01-01.
 */
export const savingsRequestSchema = z
  .object({ site: z.string().min(1), ...requestFields })
  .refine(fromBeforeTo, { message: 'from must be before to', path: ['from'] })
  .refine(baselineTogether, { message: 'baselineFrom and baselineTo go together', path: ['baselineFrom'] })
  .refine(baselineInOrder, { message: 'baselineFrom must be before baselineTo', path: ['baselineFrom'] });

export type SavingsRequest = z.infer<typeof savingsRequestSchema>;

/** A portfolio report: `sites` comma-separated (2 to 50, each once), `name` its subject (本府各機關學校). */
export const portfolioRequestSchema = z
  .object({
    sites: z
      .string()
      .transform((text) => text.split(',').map((key) => key.trim()))
      .pipe(
        z
          .array(z.string().min(1, 'a site key'))
          .min(2, 'a portfolio has at least two sites')
          .max(50)
          .refine((keys) => new Set(keys).size === keys.length, 'each site once'),
      ),
    name: z.string().trim().min(1).max(100).optional(),
    ...requestFields,
  })
  .refine(fromBeforeTo, { message: 'from must be before to', path: ['from'] })
  .refine(baselineTogether, { message: 'baselineFrom and baselineTo go together', path: ['baselineFrom'] })
  .refine(baselineInOrder, { message: 'baselineFrom must be before baselineTo', path: ['baselineFrom'] });

export type PortfolioRequest = z.infer<typeof portfolioRequestSchema>;
