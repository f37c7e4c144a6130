import type { ProblemDetails } from '@hallwatch/core';
import { LiveReading, SiteScope } from '@hallwatch/domain';

export const LIVE_NAMESPACE = '/live';

export interface SubscribeRequest {
  site: string;
}

/** A refusal is an RFC 9457 problem, as REST errors are (`status` as the HTTP status would be). */
export type SubscribeReply = { ok: true; site: string } | { ok: false; error: ProblemDetails };

/**
 * A reading on the socket: JSON like the REST API, so its time is ISO 8601 with an offset (UTC).
 * `quality: 'uncertain'` marks a value its source was unsure of; a good value has no `quality`.
 */
export type LiveReadingMessage = Omit<LiveReading, 'ts'> & { ts: string };

export function liveReadingMessage(reading: LiveReading): LiveReadingMessage {
  const message: LiveReadingMessage = {
    site: reading.site,
    asset: reading.asset,
    point: reading.point,
    ts: new Date(reading.ts).toISOString(),
    value: reading.value,
  };
  if (reading.quality === 'uncertain') message.quality = 'uncertain';
  return message;
}

/** What the server sends on /live. */
export interface LiveServerEvents {
  readings: (batch: LiveReadingMessage[]) => void;
  alert: (alert: Record<string, unknown>) => void;
  /** The holder's sites changed: `sites` is the new scope; the socket no longer receives the sites in `left`. */
  'scope-changed': (change: ScopeChange) => void;
  /** The token was revoked or expired, or its user disabled: the server disconnects the socket right after. */
  'session-ended': (end: { reason: string }) => void;
}

export interface ScopeChange {
  sites: SiteScope;
  left: string[];
}

/** What a client sends on /live. */
export interface LiveClientEvents {
  subscribe: (request: SubscribeRequest, reply: (result: SubscribeReply) => void) => void;
  unsubscribe: (request: SubscribeRequest, reply: (result: SubscribeReply) => void) => void;
}

export const siteRoom = (site: string) => `site:${site}`;

/** The site of a room named by siteRoom; undefined for any other room (a socket's own). */
export const roomSite = (room: string): string | undefined => (room.startsWith('site:') ? room.slice('site:'.length) : undefined);

/** The Redis key under which the socket.io adapter and emitter meet. */
export const socketIoKey = (redisPrefix: string) => `${redisPrefix}:socket.io`;
