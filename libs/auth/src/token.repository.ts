import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { Role } from '@hallwatch/domain';

export interface TokenRow {
  id: number;
  name: string;
  role: Role;
}

/** API tokens, kept as SHA-256 hashes. */
@Injectable()
export class TokenRepository {
  constructor(private readonly db: Database) {}

  async findActive(tokenHash: string): Promise<TokenRow | undefined> {
    const [row] = await this.db.query<TokenRow>(
      `select id, name, role from api_tokens
       where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())`,
      [tokenHash],
    );
    return row;
  }

  /** Creates or (same hash) renames/re-roles a token. */
  async upsert(name: string, tokenHash: string, role: Role): Promise<void> {
    await this.db.query(
      `insert into api_tokens (name, token_hash, role) values ($1, $2, $3)
       on conflict (token_hash) do update set name = excluded.name, role = excluded.role, revoked_at = null`,
      [name, tokenHash, role],
    );
  }

  async countActiveAdmins(): Promise<number> {
    const [row] = await this.db.query<{ count: number }>(
      `select count(*)::int as count from api_tokens where role = 'admin' and revoked_at is null and (expires_at is null or expires_at > now())`,
    );
    return row.count;
  }
}
