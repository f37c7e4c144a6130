import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { Role } from '@hallwatch/domain';

export interface UserRow {
  id: number;
  name: string;
  passwordHash: string;
  role: Role;
  /** null: every site. */
  sites: string[] | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, name, password_hash as "passwordHash", role, sites, disabled_at as "disabledAt", created_at as "createdAt", updated_at as "updatedAt"`;

/** People who sign in with a name and password (scrypt hashes, see password.ts). */
@Injectable()
export class UserRepository {
  constructor(private readonly db: Database) {}

  async find(name: string): Promise<UserRow | undefined> {
    const [row] = await this.db.query<UserRow>(`select ${COLUMNS} from users where name = $1`, [name]);
    return row;
  }

  list(): Promise<UserRow[]> {
    return this.db.query<UserRow>(`select ${COLUMNS} from users order by name`);
  }

  /** Undefined when the name is taken. */
  async create(user: { name: string; passwordHash: string; role: Role; sites: string[] | null }): Promise<UserRow | undefined> {
    const [row] = await this.db.query<UserRow>(
      `insert into users (name, password_hash, role, sites) values ($1, $2, $3, $4) on conflict (name) do nothing returning ${COLUMNS}`,
      [user.name, user.passwordHash, user.role, user.sites],
    );
    return row;
  }

  /** Changes what is given; `sites` undefined leaves the scope, null makes it every site. A re-enabled user is not implied. */
  async update(
    name: string,
    change: { passwordHash?: string; role?: Role; sites?: string[] | null; enable?: boolean },
  ): Promise<UserRow | undefined> {
    const [row] = await this.db.query<UserRow>(
      `update users set password_hash = coalesce($2, password_hash), role = coalesce($3, role),
         sites = case when $4 then $5::text[] else sites end,
         disabled_at = case when $6 then null else disabled_at end, updated_at = now()
       where name = $1 returning ${COLUMNS}`,
      [name, change.passwordHash ?? null, change.role ?? null, change.sites !== undefined, change.sites ?? null, change.enable ?? false],
    );
    return row;
  }

  async disable(name: string): Promise<UserRow | undefined> {
    const [row] = await this.db.query<UserRow>(
      `update users set disabled_at = coalesce(disabled_at, now()), updated_at = now() where name = $1 returning ${COLUMNS}`,
      [name],
    );
    return row;
  }
}
