import { AnyZodObject, ZodEffects, ZodTypeAny } from 'zod';
import { savingsRequestSchema } from '@hallwatch/savings';
import { ReportsController } from '../reports/reports.controller';

/** Where @nestjs/swagger keeps @ApiQuery's parameters (its DECORATORS.API_PARAMETERS). */
const API_PARAMETERS = 'swagger/apiParameters';

/** The object schema under the refinements. */
function objectOf(schema: ZodTypeAny): AnyZodObject {
  let inner = schema;
  while (inner instanceof ZodEffects) inner = inner.innerType();
  return inner as AnyZodObject;
}

describe('the savings report route in the OpenAPI document (#17 item 11)', () => {
  it('lists every query parameter the request schema reads', () => {
    const parameters = Reflect.getMetadata(API_PARAMETERS, ReportsController.prototype.savings) as Array<{
      name: string;
      in: string;
    }>;
    // The schema's keys, written out: site, utility, method, from, to, baselineYear, baselineFrom,
    // baselineTo, alignment, reference, confidence, format, lang, sentence.
    const keys = Object.keys(objectOf(savingsRequestSchema).shape);
    expect(parameters.map((p) => p.name).sort()).toEqual(keys.sort());
    expect(keys.sort()).toEqual(
      [
        'site',
        'utility',
        'method',
        'from',
        'to',
        'baselineYear',
        'baselineFrom',
        'baselineTo',
        'alignment',
        'reference',
        'confidence',
        'format',
        'lang',
        'sentence',
        'model',
      ].sort(),
    );
    expect(parameters.every((p) => p.in === 'query')).toBe(true);
  });
});
