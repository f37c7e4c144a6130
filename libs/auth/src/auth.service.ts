import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@hallwatch/config';
import { Role } from '@hallwatch/domain';
import { TokenRepository } from './token.repository';

export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
}

const CACHE_MS = 10_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Checks bearer tokens for HTTP routes and socket handshakes. */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  private readonly cache = new Map<string, { principal?: Principal; until: number }>();

  constructor(
    private readonly tokens: TokenRepository,
    private readonly config: AppConfig,
  ) {}

  async verify(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const row = await this.tokens.findActive(hash);
    const principal = row && { tokenId: row.id, name: row.name, role: row.role };
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }

  /**
   * HALLWATCH_API_TOKEN seeds an admin token. Outside production, a system with no admin token at
   * all gets one generated, shown once in the log and written to DATA_DIR/admin-token.
   */
  async onApplicationBootstrap(): Promise<void> {
    const seeded = this.config.get('HALLWATCH_API_TOKEN');
    if (seeded) {
      await this.tokens.upsert('HALLWATCH_API_TOKEN', hashToken(seeded), 'admin');
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
