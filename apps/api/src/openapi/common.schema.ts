import { z } from 'zod';
import { ALL_SITES, ROLES } from '@hallwatch/domain';

/** Schemas the answers of several areas share. */

/** An instant in JSON: ISO 8601 with an offset (UTC, `Z`, as the database gives it). */
export const isoDateTime = z.string().datetime({ offset: true });
/** The cursor of a list's next page (pass it as `cursor`); null on the last page. */
export const pageCursor = z.string().nullable().describe('the cursor of the next page, to pass as `cursor`; null on the last page');
/** A day on a site's calendar. */
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const siteScope = z.union([z.literal(ALL_SITES), z.array(z.string())]).describe("'*' for every site, or site keys");
export const role = z.enum(ROLES);
export const attributes = z.record(z.unknown());
