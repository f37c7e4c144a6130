import { z } from 'zod';

/**
 * Opaque cursors of keyset pagination. A cursor holds the sort key of the last row a page gave,
 * tagged with the list it belongs to, as base64url JSON (`["audit","1796083200412000","981"]`):
 * the next page starts strictly after that key, so rows inserted or removed meanwhile neither
 * repeat nor shift the rows still to come. Clients treat it as opaque.
 */
const MAX_CURSOR_LENGTH = 400;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A part of a sort key as cursors carry it: digits (a time in µs or ms since the epoch, an id) or a short word. */
export const cursorParts = {
  /** A time in microseconds or milliseconds since the epoch (before 1970 negative). */
  epoch: z.string().regex(/^-?\d{1,17}$/),
  /** A bigint id. */
  id: z.string().regex(/^\d{1,18}$/),
  uuid: z.string().uuid(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
};

export function encodeCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/**
 * The `cursor` query parameter of a list: a cursor `encodeCursor(list, …)` made, read back into its
 * key; anything else (garbage, another list's cursor, a key out of range) is a 400.
 */
export function cursorParameter<Key extends [z.ZodTypeAny, ...z.ZodTypeAny[]]>(list: string, ...key: Key) {
  const shape = z.tuple([z.literal(list), ...key]);
  return z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .describe('the `next` cursor of the page before (opaque); absent for the first page')
    .transform((cursor, context) => {
      const decoded = BASE64URL.test(cursor) ? parseJson(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
      const parsed = shape.safeParse(decoded);
      if (!parsed.success) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: 'not a cursor this list gave' });
        return z.NEVER;
      }
      const [, ...rest] = parsed.data as unknown[];
      return rest as { [K in keyof Key]: z.infer<Key[K]> };
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `limit` of a list: at most `max` rows a page, `fallback` when not given. */
export function limitParameter(fallback: number, max: number) {
  return z.coerce.number().int().min(1).max(max).default(fallback).describe(`rows a page, at most ${max} (default ${fallback})`);
}
