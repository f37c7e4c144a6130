import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { Role, SiteScope } from '@hallwatch/domain';
import { scopeFromColumn } from './site-scope';

export type TokenKind = 'api' | 'session';

export interface TokenRow {
  id: number;
  /** The user's name for a session; the token's own name otherwise. */
  name: string;
  role: Role;
  /** null: every site. */
  sites: string[] | null;
  kind: TokenKind;
  userId: number | null;
  expiresAt: Date | null;
}

export interface TokenView {
  id: number;
  name: string;
  kind: TokenKind;
  user: string | null;
  role: Role;
  sites: SiteScope;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface NewToken {
  name: string;
  tokenHash: string;
  kind: TokenKind;
  role: Role;
  sites: string[] | null;
  userId: number | null;
  expiresAt: Date | null;
  createdBy: string | null;
}

/**
 * API tokens and sign-in sessions, kept as SHA-256 hashes. A session takes its role and sites from
 * its user at every check, so a change to the user applies at once; a disabled user's sessions fail.
 */
@Injectable()
export class TokenRepository {
  constructor(private readonly db: Database) {}

  async findActive(tokenHash: string): Promise<TokenRow | undefined> {
    const [row] = await this.db.query<TokenRow>(
      `select t.id, coalesce(u.name, t.name) as name, coalesce(u.role, t.role) as role,
         case when u.id is null then t.sites else u.sites end as sites, t.kind, t.user_id as "userId", t.expires_at as "expiresAt"
       from api_tokens t left join users u on u.id = t.user_id
       where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
         and (t.user_id is null or u.disabled_at is null)`,
      [tokenHash],
    );
    return row;
  }

  async create(token: NewToken): Promise<TokenView> {
    const [row] = await this.db.query<{ id: number }>(
      `insert into api_tokens (name, token_hash, kind, role, sites, user_id, expires_at, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [token.name, token.tokenHash, token.kind, token.role, token.sites, token.userId, token.expiresAt, token.createdBy],
    );
    return (await this.find(row.id))!;
  }

  async find(id: number): Promise<TokenView | undefined> {
    return (await this.list({ id }))[0];
  }

  async list(filter: { id?: number; includeInactive?: boolean } = {}): Promise<TokenView[]> {
    type Row = Omit<TokenView, 'sites' | 'createdAt' | 'expiresAt' | 'revokedAt'> & {
      sites: string[] | null;
      createdAt: Date;
      expiresAt: Date | null;
      revokedAt: Date | null;
    };
    const rows = await this.db.query<Row>(
      `select t.id, t.name, t.kind, u.name as "user", coalesce(u.role, t.role) as role,
         case when u.id is null then t.sites else u.sites end as sites, t.created_by as "createdBy",
         t.created_at as "createdAt", t.expires_at as "expiresAt", t.revoked_at as "revokedAt"
       from api_tokens t left join users u on u.id = t.user_id
       where ($1::int is null or t.id = $1)
         and ($2 or (t.revoked_at is null and (t.expires_at is null or t.expires_at > now())))
       order by t.id desc limit 1000`,
      [filter.id ?? null, filter.includeInactive ?? filter.id !== undefined],
    );
    return rows.map((row) => ({
      ...row,
      sites: scopeFromColumn(row.sites),
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    }));
  }

  /** True when the token was active and is now revoked. */
  async revoke(id: number): Promise<boolean> {
    return (
      (await this.db.query('update api_tokens set revoked_at = now() where id = $1 and revoked_at is null returning id', [id])).length > 0
    );
  }

  async revokeSessionsOf(userId: number): Promise<number> {
    const rows = await this.db.query(
      `update api_tokens set revoked_at = now() where user_id = $1 and kind = 'session' and revoked_at is null returning id`,
      [userId],
    );
    return rows.length;
  }

  /** Creates or (same hash) renames/re-roles a token. */
  async upsert(name: string, tokenHash: string, role: Role): Promise<void> {
    await this.db.query(
      `insert into api_tokens (name, token_hash, role) values ($1, $2, $3)
       on conflict (token_hash) do update set name = excluded.name, role = excluded.role, sites = null, revoked_at = null`,
      [name, tokenHash, role],
    );
  }

  /**
   * Makes `tokenHash` the active seed token named `name`, unless that hash was revoked before: a
   * revoked seed stays revoked. Every other seed token of that name is revoked (a rotation).
   */
  async seed(name: string, tokenHash: string): Promise<{ active: boolean; replaced: number }> {
    const kept = await this.db.query(
      `insert into api_tokens (name, token_hash, role) values ($1, $2, 'admin')
       on conflict (token_hash) do update set name = excluded.name, role = 'admin', sites = null, expires_at = null
         where api_tokens.revoked_at is null
       returning id`,
      [name, tokenHash],
    );
    // A revoked seed replaces nothing: an instance still started with an old value must not revoke the new one.
    if (kept.length === 0) return { active: false, replaced: 0 };
    // Seed tokens are the ones nobody created through the API (created_by is null).
    const replaced = await this.db.query(
      `update api_tokens set revoked_at = now()
       where name = $1 and kind = 'api' and created_by is null and token_hash <> $2 and revoked_at is null returning id`,
      [name, tokenHash],
    );
    return { active: true, replaced: replaced.length };
  }

  async countActiveAdmins(): Promise<number> {
    const [row] = await this.db.query<{ count: number }>(
      `select count(*)::int as count from api_tokens where role = 'admin' and revoked_at is null and (expires_at is null or expires_at > now())`,
    );
    return row.count;
  }
}
