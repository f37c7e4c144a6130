import { z } from 'zod';
import { DeadLetterPosition } from '@hallwatch/readings';

/**
 * An opaque listing cursor: where the previous page stopped (receive time in microseconds since the
 * epoch, id). At most 17 digits of time (year 5138) and 18 of id: PostgreSQL refuses nothing it carries.
 */
export function encodeCursor(position: DeadLetterPosition): string {
  return Buffer.from(`${position.receivedUs}.${position.id}`, 'utf8').toString('base64url');
}

export const deadLetterCursor = z
  .string()
  .max(100)
  .describe('the `next` cursor of the page before (opaque); absent for the first page')
  .transform((cursor, context): DeadLetterPosition => {
    const match = /^(\d{1,17})\.(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!match) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: 'not a cursor this listing gave' });
      return z.NEVER;
    }
    return { receivedUs: match[1], id: match[2] };
  });
