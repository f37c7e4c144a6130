import type { LiveReading } from '@hallwatch/domain';
import type { AlertView } from '../api/api-types';
import { io, Socket } from 'socket.io-client';

export type LinkStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorised' | 'refused';

export interface LinkState {
  status: LinkStatus;
  /** When the status last changed (client clock, epoch ms). */
  since: number;
  /** Why the last attempt failed, when it did. */
  detail?: string;
}

export interface LiveClientHandlers {
  onReadings: (batch: LiveReading[]) => void;
  /** An alert of the site opened, changed or resolved. */
  onAlert: (alert: AlertView) => void;
  onState: (state: LinkState) => void;
  /** Subscribed again after a lost connection: whatever was missed in between must be fetched. */
  onResubscribed: () => void;
}

/** A reading as the socket sends it (libs/live LiveReadingMessage): its time ISO 8601, as in the REST API. */
type WireReading = Omit<LiveReading, 'ts'> & { ts: string };

interface ServerEvents {
  readings: (batch: WireReading[]) => void;
  alert: (alert: AlertView) => void;
  /** An admin narrowed the caller's sites: `left` no longer stream. */
  'scope-changed': (change: { sites: string[] | '*'; left: string[] }) => void;
  /** The token was revoked, expired or its user disabled: the server disconnects next. */
  'session-ended': (end: { reason: string }) => void;
}
/** A refusal is an RFC 9457 problem, as the REST API's errors are. */
type SubscribeReply = { ok: true; site: string } | { ok: false; error: { detail: string } };
interface ClientEvents {
  subscribe: (request: { site: string }, reply: (result: SubscribeReply) => void) => void;
}
type LiveSocket = Socket<ServerEvents, ClientEvents>;

const ACK_TIMEOUT_MS = 5_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;

/**
 * The socket.io `/live` namespace of the same origin: authenticates with the token, subscribes to
 * one site, and subscribes again after every reconnection. socket.io retries lost transports on
 * its own but not a handshake the server turned down, so that retry (for anything but a bad
 * token) is ours.
 */
export class LiveClient {
  private socket: LiveSocket | null = null;
  private subscribedBefore = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  private state: LinkState = { status: 'connecting', since: Date.now() };

  constructor(
    private readonly token: string,
    private readonly site: string,
    private readonly handlers: LiveClientHandlers,
    private readonly url = '/live',
  ) {}

  start(): void {
    const socket: LiveSocket = io(this.url, {
      auth: { token: this.token },
      reconnectionDelay: RETRY_MIN_MS,
      reconnectionDelayMax: RETRY_MAX_MS,
    });
    this.socket = socket;
    this.setState('connecting');

    socket.on('connect', () => this.subscribe(socket));
    socket.on('readings', (batch) => {
      if (Array.isArray(batch)) this.handlers.onReadings(fromWire(batch));
    });
    socket.on('alert', (alert) => {
      if (alert && typeof alert.id === 'number') this.handlers.onAlert(alert);
    });
    socket.on('session-ended', (end) => {
      // Not a connection problem: retrying with the same token cannot succeed.
      this.setState('unauthorised', end?.reason ?? 'session ended');
      socket.disconnect();
    });
    socket.on('scope-changed', (change) => {
      if (Array.isArray(change?.left) && change.left.includes(this.site))
        this.setState('refused', 'forbidden: this site was removed from your access');
    });
    socket.on('disconnect', (reason) => {
      if (this.state.status === 'unauthorised') return;
      this.setState(this.subscribedBefore ? 'reconnecting' : 'connecting', reason);
      // A disconnect that the server asked for is not retried by socket.io itself.
      if (reason === 'io server disconnect') this.retryLater(socket);
    });
    socket.on('connect_error', (error) => {
      if (error.message.startsWith('unauthorised')) {
        this.setState('unauthorised', error.message);
        socket.disconnect();
        return;
      }
      this.setState(this.subscribedBefore ? 'reconnecting' : 'connecting', error.message);
      if (!socket.active) this.retryLater(socket);
    });
  }

  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  private subscribe(socket: LiveSocket): void {
    socket.timeout(ACK_TIMEOUT_MS).emit('subscribe', { site: this.site }, (error: Error | null, reply?: SubscribeReply) => {
      if (socket !== this.socket) return;
      if (error || !reply) {
        // No answer: start over on a fresh connection rather than sit connected but deaf.
        socket.disconnect();
        this.retryLater(socket);
        return;
      }
      if (!reply.ok) {
        this.setState('refused', reply.error.detail);
        return;
      }
      this.retries = 0;
      this.setState('live');
      if (this.subscribedBefore) this.handlers.onResubscribed();
      this.subscribedBefore = true;
    });
  }

  private retryLater(socket: LiveSocket): void {
    if (this.retryTimer || socket !== this.socket) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.retries) * (0.75 + Math.random() * 0.5);
    this.retries += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (socket === this.socket && !socket.connected) socket.connect();
    }, delay);
  }

  private setState(status: LinkStatus, detail?: string): void {
    if (this.state.status === status && this.state.detail === detail) return;
    this.state = { status, since: this.state.status === status ? this.state.since : Date.now(), detail };
    this.handlers.onState(this.state);
  }
}

/** The dashboard keeps times as epoch ms; a reading whose time does not parse is left out. Only `quality: 'uncertain'` marks a value. */
export function fromWire(batch: WireReading[]): LiveReading[] {
  const readings: LiveReading[] = [];
  for (const { ts: wireTs, quality, ...reading } of batch) {
    const ts = Date.parse(wireTs);
    if (Number.isFinite(ts)) readings.push(quality === 'uncertain' ? { ...reading, ts, quality } : { ...reading, ts });
  }
  return readings;
}
