import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { REPORT_FORMATS } from '@hallwatch/savings';

const DATE = "a date on the site's calendar (YYYY-MM-DD, in its time zone)";

/**
 * The savings report's query parameters in the OpenAPI document: the zod schema validates them,
 * but Swagger cannot read a zod pipe, so the document listed none.
 */
export function ApiSavingsQuery() {
  return applyDecorators(ApiQuery({ name: 'site', description: 'site key' }), ...reportQueries());
}

/** The portfolio report's query: the sites, the portfolio's name, and the savings report's parameters. */
export function ApiPortfolioQuery() {
  return applyDecorators(
    ApiQuery({ name: 'sites', description: 'site keys, comma-separated (2 to 50)' }),
    ApiQuery({ name: 'name', required: false, description: "the portfolio's name in the council sentence, e.g. 本府各機關學校" }),
    ...reportQueries(),
  );
}

function reportQueries() {
  return [
    ApiQuery({ name: 'utility', enum: ['electricity', 'water', 'fuel'], required: false, description: 'default electricity' }),
    ApiQuery({ name: 'method', enum: ['same-period', 'normalised'], required: false, description: 'default same-period' }),
    ApiQuery({ name: 'from', description: `${DATE}, inclusive` }),
    ApiQuery({ name: 'to', description: `${DATE}, exclusive` }),
    ApiQuery({ name: 'baselineYear', type: Number, required: false, description: 'Gregorian baseline year (ROC 104 = 2015)' }),
    ApiQuery({
      name: 'baselineFrom',
      required: false,
      description: `${DATE}: the baseline's first day (same-period: as long as the period; normalised: the model's period)`,
    }),
    ApiQuery({ name: 'baselineTo', required: false, description: `${DATE}, exclusive; with baselineFrom` }),
    ApiQuery({
      name: 'model',
      enum: ['daily', 'daily-mean', 'hourly'],
      required: false,
      description:
        'normalised only: CalTRACK daily (default; degree-days from hourly temperatures when every day has them), CalTRACK daily on daily mean temperatures, or the hourly time-of-week-and-temperature model',
    }),
    ApiQuery({ name: 'alignment', enum: ['same-dates', 'same-weekdays'], required: false, description: 'default same-dates' }),
    ApiQuery({ name: 'reference', enum: ['baseline-year', 'previous-year'], required: false }),
    ApiQuery({
      name: 'confidence',
      enum: [0.68, 0.8, 0.9, 0.95],
      required: false,
      description: 'of the savings uncertainty; default 0.68',
    }),
    ApiQuery({ name: 'format', enum: [...REPORT_FORMATS], required: false, description: 'default json' }),
    ApiQuery({ name: 'lang', enum: ['zh-TW', 'en'], required: false, description: 'default zh-TW' }),
    ApiQuery({
      name: 'sentence',
      enum: ['council', 'spaced'],
      required: false,
      description: "the zh-TW headline as the council writes it (default) or spaced ('1,253 萬 1,673 度')",
    }),
  ];
}
