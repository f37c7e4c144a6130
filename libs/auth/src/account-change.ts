import { z } from 'zod';

/** What changed about access: one user (role, sites, password, disabled), one token, or possibly any. */
export type AccountChange = { userId: number } | { tokenId: number } | { everyone: true };

/** As published between processes (Redis pub/sub): validated when received. */
export const accountChangeSchema = z.union([
  z.object({ userId: z.number().int() }).strict(),
  z.object({ tokenId: z.number().int() }).strict(),
  z.object({ everyone: z.literal(true) }).strict(),
]);

/** Whether a change may alter what a holder of this token (of this user) may see. */
export function affects(change: AccountChange, holder: { tokenId: number; userId: number | null }): boolean {
  if ('everyone' in change) return true;
  if ('userId' in change) return holder.userId === change.userId;
  return holder.tokenId === change.tokenId;
}
