import { z } from 'zod';
import { MAX_FILTER_CHARS } from '@hallwatch/registry';

/** At most this many entities per read (Haystack's `limit`; the default too). */
export const MAX_READ_LIMIT = 10_000;

const hisRangeText = z
  .string()
  .min(1, 'a range: today, yesterday, a date, date,date, dateTime,dateTime or dateTime')
  .max(200, 'a range is at most 200 characters');
const entityIdText = z.string().min(1, 'the id of a point').max(600, 'an id is at most 600 characters');
const filterText = z.string().min(1, 'a Haystack filter such as "point and his"').max(MAX_FILTER_CHARS);
const limitNumber = z.coerce.number().int().min(1).max(MAX_READ_LIMIT);

/** Without a filter, read answers every entity (as the filter `id` would): the listing a caller's scope trims. */
export const readQuery = z.object({ filter: filterText.default('id'), limit: limitNumber.default(MAX_READ_LIMIT) }).strict();
export type ReadQuery = z.infer<typeof readQuery>;

export const hisReadQuery = z.object({ id: entityIdText.transform(withoutAt), range: hisRangeText }).strict();
export type HisReadQuery = z.infer<typeof hisReadQuery>;

/** A Hayson cell of a request grid: the scalars read and hisRead take. */
const haysonRef = z.object({ _kind: z.literal('ref'), val: z.string().max(600), dis: z.string().max(1000).optional() });
const haysonNumber = z.object({ _kind: z.literal('number'), val: z.number(), unit: z.string().max(40).optional() });
const haysonCell = z.union([
  z.string().max(MAX_FILTER_CHARS),
  z.number(),
  z.boolean(),
  z.null(),
  haysonRef,
  haysonNumber,
  z.object({ _kind: z.literal('marker') }),
]);
export type HaystackRequestRow = Record<string, Exclude<z.infer<typeof haysonCell>, null>>;

/** An op's request grid as Hayson (`application/json` or `application/vnd.haystack+json`); Zinc bodies are read into the same shape. */
export const haysonRequestGrid = z.object({
  _kind: z.literal('grid').optional(),
  meta: z.record(z.unknown()).optional(),
  cols: z
    .array(z.object({ name: z.string().max(100) }).passthrough())
    .max(20)
    .optional(),
  rows: z.array(z.record(haysonCell)).min(1, 'one row').max(100),
});

/** read's request grid: a row with `filter` (and optionally `limit`). Reading by ids is not offered. */
export const readRequestRow = z
  .object({
    filter: filterText,
    limit: z.union([limitNumber, haysonNumber.transform((number) => number.val).pipe(limitNumber)]).optional(),
  })
  .strict();

/** hisRead's request grid: a row with `id` (a ref) and `range` (a string). */
export const hisReadRequestRow = z
  .object({ id: z.union([haysonRef.transform((ref) => ref.val), entityIdText.transform(withoutAt)]), range: hisRangeText })
  .strict();

/** `@id` and `id` name the same entity: query strings often carry the Zinc form. */
function withoutAt(id: string): string {
  return id.startsWith('@') ? id.slice(1) : id;
}
