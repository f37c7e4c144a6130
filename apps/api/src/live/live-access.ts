import { inScope, Principal } from '@hallwatch/auth';

/** What becomes of an open socket after its token was checked again. */
export type SocketVerdict = { end: true } | { end: false; left: string[]; scopeChanged: boolean };

/**
 * An open socket's fate: ended when its token is no longer valid, otherwise the subscribed sites its
 * scope no longer covers (to leave), and whether the scope changed at all (to tell the client).
 */
export function reconcile(before: Principal, after: Principal | undefined, subscribed: readonly string[]): SocketVerdict {
  if (!after) return { end: true };
  return {
    end: false,
    left: subscribed.filter((site) => !inScope(after.sites, site)),
    scopeChanged: JSON.stringify(before.sites) !== JSON.stringify(after.sites),
  };
}
