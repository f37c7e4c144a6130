import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Namespace, Socket } from 'socket.io';
import { AuthService, inScope, Principal, TooManyFailedAttempts } from '@hallwatch/auth';
import { AppConfig } from '@hallwatch/config';
import { LIVE_NAMESPACE, LiveClientEvents, LiveServerEvents, siteRoom, SubscribeReply } from '@hallwatch/live';
import { RegistryRepository } from '@hallwatch/registry';

type LiveSocket = Socket<LiveClientEvents, LiveServerEvents, Record<string, never>, { principal: Principal }>;

/**
 * /live: the client authenticates in the handshake (`auth: { token }`), subscribes to a site in
 * its scope and receives `readings` batches that any ingest process emits (through the Redis adapter).
 * Tokens are checked again every LIVE_TOKEN_RECHECK_SECONDS: a revoked or expired one loses its stream.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: true } })
export class LiveGateway implements OnGatewayInit<Namespace>, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  private recheckTimer?: NodeJS.Timeout;

  constructor(
    private readonly auth: AuthService,
    private readonly registry: RegistryRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleDestroy(): void {
    clearInterval(this.recheckTimer);
  }

  /** Disconnects the sockets of this process whose token is no longer valid. */
  async recheckTokens(namespace: Namespace): Promise<number> {
    let dropped = 0;
    for (const socket of namespace.sockets.values()) {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const principal = await this.auth.verify(typeof token === 'string' ? token : undefined).catch(() => 'unknown' as const);
      if (principal === undefined) {
        socket.disconnect(true);
        dropped += 1;
      }
    }
    if (dropped > 0) this.logger.log(`disconnected ${dropped} live socket(s) whose token was revoked or expired`);
    return dropped;
  }

  afterInit(namespace: Namespace): void {
    this.recheckTimer = setInterval(() => void this.recheckTokens(namespace), this.config.get('LIVE_TOKEN_RECHECK_SECONDS') * 1000);
    this.recheckTimer.unref();
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      this.auth
        .authenticate(typeof token === 'string' ? token : undefined, socket.handshake.address)
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

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const site = siteOf(body);
    if (site && !inScope(socket.data.principal.sites, site)) return { ok: false, error: `forbidden: not scoped to site ${site}` };
    if (!site || !(await this.registry.findSite(site))) return { ok: false, error: `unknown site ${String(site)}` };
    await socket.join(siteRoom(site));
    return { ok: true, site };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeReply> {
    const site = siteOf(body);
    if (!site) return { ok: false, error: 'site missing' };
    await socket.leave(siteRoom(site));
    return { ok: true, site };
  }
}

function siteOf(body: unknown): string | undefined {
  const site = (body as { site?: unknown } | null)?.site;
  return typeof site === 'string' ? site : undefined;
}
