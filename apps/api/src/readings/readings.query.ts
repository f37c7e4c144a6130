import { z, ZodRawShape } from 'zod';
import { BUCKETS } from '@hallwatch/domain';

/** epoch milliseconds or ISO 8601 */
const instant = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z
    .string()
    .datetime({ offset: true })
    .transform((value) => Date.parse(value)),
]);

const DAY_MS = 86_400_000;

/** A query with `from` and `to` (default: the 24 hours before now) besides the given fields. */
export function timeRangeQuery<T extends ZodRawShape>(shape: T) {
  return z
    .object({ from: instant.optional(), to: instant.optional(), ...shape })
    .transform((query) => {
      const to = query.to ?? Date.now();
      return { ...query, to: new Date(to), from: new Date(query.from ?? to - DAY_MS) };
    })
    .refine((query) => query.from < query.to, { message: 'from must be before to', path: ['from'] });
}

export const readingsQuery = timeRangeQuery({
  bucket: z.enum(BUCKETS).default('raw'),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

export type ReadingsQuery = z.infer<typeof readingsQuery>;
