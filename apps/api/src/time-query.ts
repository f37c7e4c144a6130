import { z, ZodRawShape } from 'zod';
import { DomainError } from '@hallwatch/core';
import { parseLocalDateTime } from '@hallwatch/domain';

/**
 * A time in a query string: epoch milliseconds, ISO 8601 with an offset (an instant), or a local
 * date or date-time without an offset (2025-03-09, 2025-03-09T08:00), read on the site's clock in
 * its time zone once the site is known.
 */
export type TimeParameter = { instant: number } | { local: string };

const DAY_MS = 86_400_000;
const withOffset = z.string().datetime({ offset: true });

/**
 * Times Hallwatch can hold: no meter read before 1900, and PostgreSQL and Date stop near year
 * 10000 (an epoch of 1e23 ms became an Invalid Date, and a 500).
 */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const timeParameter = z
  .string()
  .describe(
    "ISO 8601 with an offset (2025-03-09T08:00:00+08:00), a date or date-time on the site's clock (2025-03-09, 2025-03-09T08:00), or epoch ms",
  )
  .transform((value, ctx): TimeParameter => {
    const time = readTime(value);
    if (time === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: "ISO 8601 with an offset, a date or date-time on the site's clock (YYYY-MM-DD[THH:MM[:SS]]), or epoch ms",
      });
      return z.NEVER;
    }
    // A day either side for the site's zone, which reads a local time later.
    const instant = 'instant' in time ? time.instant : parseLocalDateTime(time.local, 'UTC')!;
    if (!(instant >= EARLIEST + DAY_MS && instant <= LATEST - DAY_MS)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a time between the years 1900 and 9999' });
      return z.NEVER;
    }
    return time;
  });

function readTime(value: string): TimeParameter | undefined {
  if (/^\d{1,16}$/.test(value)) return { instant: Number(value) };
  if (withOffset.safeParse(value).success) return { instant: Date.parse(value) };
  // The zone does not change whether the text is a date-time; the site's zone reads it later.
  if (parseLocalDateTime(value, 'UTC') !== null) return { local: value };
  return undefined;
}

/** The instant a time parameter stands for at a site in `zone`. */
export function resolveTime(time: TimeParameter, zone: string): number {
  return 'instant' in time ? time.instant : parseLocalDateTime(time.local, zone)!;
}

/** A query with `from` and `to` besides the given fields. */
export function timeRangeQuery<T extends ZodRawShape>(shape: T) {
  return z.object({ from: timeParameter.optional(), to: timeParameter.optional(), ...shape });
}

/** `from` and `to` at a site in `zone`; by default the 24 hours before now. */
export function resolveRange(
  query: { from?: TimeParameter; to?: TimeParameter },
  zone: string,
  now = Date.now(),
): { from: Date; to: Date } {
  const to = query.to ? resolveTime(query.to, zone) : now;
  const from = query.from ? resolveTime(query.from, zone) : to - DAY_MS;
  if (!(from < to)) throw new DomainError('invalid-input', 'from: from must be before to');
  return { from: new Date(from), to: new Date(to) };
}

/**
 * An instant in a query string where no site gives a zone (the audit log): ISO 8601 with an offset,
 * or epoch ms; a date or date-time without one, as /api/v1 always took it, is read in UTC.
 */
export const instantParameter = z
  .string()
  .describe('ISO 8601 with an offset (2026-12-01T10:00:00+08:00), or epoch ms; a date or date-time without an offset is UTC')
  .transform((value, ctx): Date => {
    const time = readTime(value);
    const instant = time === undefined ? undefined : resolveTime(time, 'UTC');
    if (instant === undefined || !(instant >= EARLIEST && instant <= LATEST)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'ISO 8601 with an offset between the years 1900 and 9999, or epoch ms' });
      return z.NEVER;
    }
    return new Date(instant);
  });
