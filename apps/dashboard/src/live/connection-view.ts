import type { LinkState } from './live-client';

export type ConnectionKind = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'unauthorised' | 'refused';

export interface ConnectionView {
  kind: ConnectionKind;
  /** Age of the newest live value (ms), when there is one. */
  ageMs: number | null;
}

/** Values older than this make a connected stream "stale": meters report every 1-15 s. */
export const STALE_AFTER_MS = 60_000;

/**
 * What the connection indicator shows: the state of the socket, and whether values still arrive.
 * Connected but silent for longer than `staleAfterMs` is "stale", not "live".
 */
export function connectionView(link: LinkState, newestTs: number | null, now: number, staleAfterMs = STALE_AFTER_MS): ConnectionView {
  const ageMs = newestTs === null ? null : Math.max(0, now - newestTs);
  if (link.status !== 'live') return { kind: link.status, ageMs };
  if (ageMs === null) return { kind: now - link.since > staleAfterMs ? 'stale' : 'live', ageMs };
  return { kind: ageMs > staleAfterMs ? 'stale' : 'live', ageMs };
}
