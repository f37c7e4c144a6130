import { Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { Namespace, Socket } from 'socket.io';
import { AccountChange, affects, AuthService, inScope, Principal, TooManyFailedAttempts } from '@hallwatch/auth';
import { AppConfig } from '@hallwatch/config';
import { problemDetails } from '@hallwatch/core';
import { LIVE_NAMESPACE, LiveClientEvents, LiveServerEvents, roomSite, siteRoom, SubscribeReply } from '@hallwatch/live';
import { RegistryRepository } from '@hallwatch/registry';
import { clientAddress } from './client-address';
import { reconcile } from './live-access';

type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<string, never>, { principal: Principal }>;

/** setTimeout's longest delay (about 24.8 days); a later expiry is checked again then. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/** A clock a little behind the database's must not turn the expiry check into a busy loop. */
const EXPIRY_RECHECK_MS = 250;

/**
 * /live: the client authenticates in the handshake (`auth: { token }`), subscribes to a site in
 * its scope and receives `readings` batches that any ingest process emits (through the Redis adapter).
 * An account change (published by AuthService through Redis) re-checks the affected sockets at once:
 * a socket whose token is no longer valid gets `session-ended` and is disconnected, one whose scope
 * shrank leaves the rooms of the removed sites and gets `scope-changed`. A session's socket ends at
 * the session's expiry. Every LIVE_TOKEN_RECHECK_SECONDS all sockets are checked again, in case a
 * change was published while this process was not listening.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: true } })
export class LiveGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection<LiveSocket>, OnGatewayDisconnect<LiveSocket>, OnModuleDestroy
{
  private readonly logger = new Logger(LiveGateway.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private recheckTimer?: NodeJS.Timeout;
  private stopListening?: () => void;

  constructor(
    private readonly auth: AuthService,
    private readonly registry: RegistryRepository,
    private readonly config: AppConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  afterInit(namespace: Namespace): void {
    const sockets = () => [...namespace.sockets.values()] as LiveSocket[];
    this.stopListening = this.auth.onChange((change: AccountChange) => {
      const affected = sockets().filter((socket) => affects(change, socket.data.principal));
      void Promise.all(affected.map((socket) => this.recheck(socket)));
    });
    this.recheckTimer = setInterval(
      () => void Promise.all(sockets().map((socket) => this.recheck(socket))),
      this.config.get('LIVE_TOKEN_RECHECK_SECONDS') * 1000,
    );
    this.recheckTimer.unref();
    namespace.use((socket, next) => {
      this.auth
        .authenticate(tokenOf(socket), clientAddress(socket.request, this.trustProxy()))
        .then((principal) => {
          if (!principal) return next(new Error('unauthorised: a valid token is required in auth.token'));
          (socket as LiveSocket).data.principal = principal;
          next();
        })
        .catch((error: Error) => {
          if (error instanceof TooManyFailedAttempts) return next(new Error(`too-many-requests: ${error.message}`));
          this.logger.warn({ err: error }, 'handshake check failed');
          next(new Error('unavailable: try again'));
        });
    });
  }

  handleConnection(socket: LiveSocket): void {
    this.scheduleExpiry(socket);
  }

  handleDisconnect(socket: LiveSocket): void {
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
  }

  onModuleDestroy(): void {
    clearInterval(this.recheckTimer);
    this.stopListening?.();
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const site = siteOf(body);
    if (!site) return refusal(400, 'invalid-input', 'subscribe needs { site }', 'subscribe');
    if (!inScope(socket.data.principal.sites, site)) return refusal(403, 'forbidden', `not scoped to site ${site}`, 'subscribe');
    if (!(await this.registry.findSite(site))) return refusal(404, 'not-found', `unknown site ${site}`, 'subscribe');
    // The scope may have shrunk while the site was looked up.
    if (!inScope(socket.data.principal.sites, site)) return refusal(403, 'forbidden', `not scoped to site ${site}`, 'subscribe');
    await socket.join(siteRoom(site));
    return { ok: true, site };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const site = siteOf(body);
    if (!site) return refusal(400, 'invalid-input', 'unsubscribe needs { site }', 'unsubscribe');
    await socket.leave(siteRoom(site));
    return { ok: true, site };
  }

  /** Express's compiled TRUST_PROXY setting, read when used: it is set while the app is configured. */
  private trustProxy(): Parameters<typeof clientAddress>[1] {
    const express = this.http.httpAdapter.getInstance<{ get(setting: string): unknown }>();
    return express.get('trust proxy fn') as Parameters<typeof clientAddress>[1];
  }

  /** Checks the socket's token again and ends the socket or narrows it to its current scope. */
  private async recheck(socket: LiveSocket): Promise<void> {
    let principal: Principal | undefined;
    try {
      principal = await this.auth.verify(tokenOf(socket));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not check a live socket again: kept until the next check');
      return;
    }
    if (!socket.connected) return;
    const subscribed = [...socket.rooms].map(roomSite).filter((site): site is string => site !== undefined);
    const verdict = reconcile(socket.data.principal, principal, subscribed);
    if (verdict.end) {
      socket.emit('session-ended', { reason: 'the token was revoked or expired, or its user disabled' });
      socket.disconnect(true);
      this.logger.log(`ended a live socket of ${socket.data.principal.name}: its token is no longer valid`);
      return;
    }
    socket.data.principal = principal!;
    for (const site of verdict.left) await socket.leave(siteRoom(site));
    if (verdict.scopeChanged) socket.emit('scope-changed', { sites: principal!.sites, left: verdict.left });
  }

  /** A session's socket is checked again at the session's expiry, so that it ends then. */
  private scheduleExpiry(socket: LiveSocket): void {
    const expiresAt = socket.data.principal.expiresAt;
    if (expiresAt === null) return;
    const delay = Math.min(Math.max(Date.parse(expiresAt) - Date.now(), EXPIRY_RECHECK_MS), LONGEST_TIMER_MS);
    const timer = setTimeout(() => {
      void this.recheck(socket).then(() => {
        if (socket.connected) this.scheduleExpiry(socket);
      });
    }, delay);
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }
}

function tokenOf(socket: Socket): string | undefined {
  const token = (socket.handshake.auth as { token?: unknown }).token;
  return typeof token === 'string' ? token : undefined;
}

/** An acknowledgement's refusal: a problem as REST gives, its instance the event's name. */
function refusal(status: number, code: string, detail: string, event: string): SubscribeReply {
  return { ok: false, error: problemDetails(status, code, detail, { instance: `${LIVE_NAMESPACE}#${event}` }) };
}

function siteOf(body: unknown): string | undefined {
  const site = (body as { site?: unknown } | null)?.site;
  return typeof site === 'string' ? site : undefined;
}
