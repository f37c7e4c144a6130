import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { Role, SiteScope } from '@hallwatch/domain';
import { AccountChange, accountChangeSchema } from './account-change';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { scopeFromColumn } from './site-scope';
import { TokenKind, TokenRepository } from './token.repository';

export interface Principal {
  tokenId: number;
  /** The user's name for a sign-in session, the token's name for an API token: what the audit log records. */
  name: string;
  role: Role;
  sites: SiteScope;
  kind: TokenKind;
  userId: number | null;
  expiresAt: string | null;
}

const CACHE_MS = 10_000;
/** Answers kept at most, valid and invalid tokens apart, so a flood of invalid ones evicts no valid one. */
export const TOKEN_CACHE_LIMITS = { valid: 10_000, invalid: 1_000 } as const;
const CHANGED_CHANNEL = 'auth:changed';
/** The name of the admin token that HALLWATCH_API_TOKEN seeds (and the audit log's actor for it). */
const SEED_TOKEN_NAME = 'HALLWATCH_API_TOKEN';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Checks bearer tokens for HTTP routes and socket handshakes. Answers are cached for 10 s (never
 * past a token's expiry) in bounded LRU caches; any revocation or user change clears them here and,
 * through Redis, in every other process, so it takes effect at once. An address that presents too
 * many invalid tokens is refused before its tokens are looked up.
 */
@Injectable()
export class AuthService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  private readonly valid = new LRUCache<string, Principal>({ max: TOKEN_CACHE_LIMITS.valid, ttl: CACHE_MS });
  private readonly invalid = new LRUCache<string, true>({ max: TOKEN_CACHE_LIMITS.invalid, ttl: CACHE_MS });
  private readonly listeners = new Set<(change: AccountChange) => void>();
  /** Tells this process's own messages apart from the other processes'. */
  private readonly instance = randomUUID();

  constructor(
    private readonly tokens: TokenRepository,
    private readonly failures: FailedAuthThrottle,
    private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  /**
   * The principal of a token presented by a client at `address`; undefined when it is not valid.
   * Throws TooManyFailedAttempts when the address presented too many invalid tokens lately.
   */
  async authenticate(token: string | undefined, address: string): Promise<Principal | undefined> {
    if (!token) return undefined;
    const hash = hashToken(token);
    const cached = this.valid.get(hash);
    if (cached) return cached;
    await this.failures.check(address);
    const principal = await this.lookUp(hash);
    if (!principal) await this.failures.fail(address, hash);
    return principal;
  }

  /** The principal of a token the server already holds (an open socket's), uncounted. */
  async verify(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    const hash = hashToken(token);
    return this.valid.get(hash) ?? (await this.lookUp(hash));
  }

  /** How many answers the caches hold. */
  get cachedAnswers(): { valid: number; invalid: number } {
    return { valid: this.valid.size, invalid: this.invalid.size };
  }

  private async lookUp(hash: string): Promise<Principal | undefined> {
    if (this.invalid.get(hash)) return undefined;
    const row = await this.tokens.findActive(hash);
    if (!row) {
      this.invalid.set(hash, true);
      return undefined;
    }
    const principal: Principal = {
      tokenId: row.id,
      name: row.name,
      role: row.role,
      sites: scopeFromColumn(row.sites),
      kind: row.kind,
      userId: row.userId,
      expiresAt: row.expiresAt?.toISOString() ?? null,
    };
    const untilExpiry = row.expiresAt ? row.expiresAt.getTime() - Date.now() : Infinity;
    this.valid.set(hash, principal, { ttl: Math.max(1, Math.min(CACHE_MS, untilExpiry)) });
    return principal;
  }

  private forget(): void {
    this.valid.clear();
    this.invalid.clear();
  }

  /**
   * A token was revoked or a user changed: forget every cached answer and tell the listeners (the
   * live gateway), here at once and, through Redis, in every other process.
   */
  changed(change: AccountChange): void {
    this.apply(change);
    const message = JSON.stringify({ from: this.instance, change });
    this.redis.client.publish(this.redis.key(CHANGED_CHANNEL), message).catch((error: Error) => {
      this.logger.warn({ err: error }, 'could not tell the other processes that tokens changed');
    });
  }

  /** Calls `listener` with every account change, of this process or another; returns the way to stop. */
  onChange(listener: (change: AccountChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onModuleInit(): void {
    const subscriber = this.redis.duplicate();
    subscriber.on('message', (_channel: string, message: string) => this.received(message));
    // Not awaited: start-up does not wait for Redis, and the subscription is restored on reconnect.
    subscriber.subscribe(this.redis.key(CHANGED_CHANNEL)).catch((error: Error) => {
      this.logger.warn({ err: error }, 'could not subscribe to token changes');
    });
  }

  private received(message: string): void {
    let parsed: { from?: unknown; change?: unknown } = {};
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      // not ours to read: treated as "anything may have changed" below
    }
    if (parsed.from === this.instance) return;
    const change = accountChangeSchema.safeParse(parsed.change);
    this.apply(change.success ? change.data : { everyone: true });
  }

  private apply(change: AccountChange): void {
    this.forget();
    for (const listener of this.listeners) listener(change);
  }

  /**
   * HALLWATCH_API_TOKEN bootstraps an admin token: a new value replaces (revokes) the previous one,
   * and a value once revoked stays revoked across restarts. Outside production, a system with no
   * admin token at all gets one generated, shown once in the log and written to DATA_DIR/admin-token.
   */
  async onApplicationBootstrap(): Promise<void> {
    const seeded = this.config.get('HALLWATCH_API_TOKEN');
    if (seeded) {
      const { active, replaced } = await this.tokens.seed(SEED_TOKEN_NAME, hashToken(seeded));
      if (replaced > 0) {
        this.logger.log('HALLWATCH_API_TOKEN changed: the previous seed token is revoked');
        this.changed({ everyone: true });
      }
      if (!active) this.logger.warn('HALLWATCH_API_TOKEN was revoked and stays revoked: set a new value to have a seed admin token');
      return;
    }
    if (this.config.get('NODE_ENV') === 'production' || (await this.tokens.countActiveAdmins()) > 0) return;
    const token = randomBytes(24).toString('base64url');
    await this.tokens.upsert('generated admin', hashToken(token), 'admin');
    const file = join(this.config.get('DATA_DIR'), 'admin-token');
    mkdirSync(this.config.get('DATA_DIR'), { recursive: true });
    writeFileSync(file, `${token}\n`);
    chmodSync(file, 0o600);
    this.logger.warn(`No HALLWATCH_API_TOKEN set: generated an admin token, saved in ${file}: ${token}`);
  }
}
