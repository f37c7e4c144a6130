import { LiveReading } from '@hallwatch/domain';

export const LIVE_NAMESPACE = '/live';

export interface SubscribeRequest {
  site: string;
}

export type SubscribeReply = { ok: true; site: string } | { ok: false; error: string };

/** What the server sends on /live. */
export interface LiveServerEvents {
  readings: (batch: LiveReading[]) => void;
  alert: (alert: Record<string, unknown>) => void;
}

/** What a client sends on /live. */
export interface LiveClientEvents {
  subscribe: (request: SubscribeRequest, reply: (result: SubscribeReply) => void) => void;
  unsubscribe: (request: SubscribeRequest, reply: (result: SubscribeReply) => void) => void;
}

export const siteRoom = (site: string) => `site:${site}`;

/** The Redis key under which the socket.io adapter and emitter meet. */
export const socketIoKey = (redisPrefix: string) => `${redisPrefix}:socket.io`;
