import { z } from 'zod';
import { isoDateTime } from '../openapi/common.schema';

/**
 * How much of a period has data, served beside every figure of a period (consumption, overview):
 * the dashboard and reports say so instead of showing a partial total as if it were whole.
 * A quarter hour "has data" when every main meter of the utility has a reading in it or a step
 * measured across it (a step across a meter gap is an estimate, not data).
 */
export const coverageSchema = z.object({
  /** Whole quarter hours of the period up to now (UTC quarter hours, as the 15-minute rollups). */
  quarters: z.number().int().nonnegative(),
  /** Of those, the ones with data. */
  quartersWithData: z.number().int().nonnegative(),
  /** quartersWithData / quarters; null while the period has no whole quarter hour yet. */
  share: z.number().min(0).max(1).nullable(),
  /** Some whole quarter hour of the period lacks data: its total and any figure from it are partial. */
  partial: z.boolean(),
  /** The first and last reading of the main meters in the quarter hours the period touches, null when none. */
  firstData: isoDateTime.nullable(),
  lastData: isoDateTime.nullable(),
});
export type Coverage = z.infer<typeof coverageSchema>;
