import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
}

export interface AuditFilter {
  actor?: string;
  /** An action, or the start of one: `PUT /api/v1/sites` matches every registry change. */
  action?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

/** Where a page of the audit log stopped: `at` in µs since the epoch, id. */
export type AuditListKey = [atUs: string, id: string];

/**
 * Who changed what, and every sign-in. Entries are never deleted; a change's entry is written
 * before the change as `outcome: 'pending'` and then given its outcome, nothing else.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** Writes the entry of a change about to be made, outcome 'pending'; its id completes it. */
  async begin(entry: AuditEntry): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(
      'insert into audit_log (actor, action, target, detail, ip) values ($1, $2, $3, $4, $5) returning id::int',
      [entry.actor, entry.action, entry.target, JSON.stringify({ ...entry.detail, outcome: 'pending' }), entry.ip],
    );
    return row.id;
  }

  /** Records how a begun change ended: `{ outcome: 'ok' }` or `{ outcome: 'failed', error }`. */
  async complete(id: number, outcome: Record<string, unknown>): Promise<void> {
    await this.db.query('update audit_log set detail = detail || $2::jsonb where id = $1', [id, JSON.stringify(outcome)]);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.db.query('insert into audit_log (actor, action, target, detail, ip) values ($1, $2, $3, $4, $5)', [
      entry.actor,
      entry.action,
      entry.target,
      JSON.stringify(entry.detail),
      entry.ip,
    ]);
  }

  /** A page, newest first (at, then id, both descending) after `after`, and the key of its last row when more follow. */
  async page(filter: AuditFilter & { after?: AuditListKey }): Promise<{ records: AuditRecord[]; next: AuditListKey | null }> {
    const limit = filter.limit ?? 200;
    const rows = await this.db.query<AuditRecord & { at: Date; atUs: string }>(
      `select id::int, at, actor, action, target, detail, ip, (extract(epoch from at) * 1000000)::bigint::text as "atUs" from audit_log
       where ($1::text is null or actor = $1) and ($2::text is null or starts_with(action, $2))
         and ($3::timestamptz is null or at >= $3) and ($4::timestamptz is null or at < $4)
         and ($6::bigint is null or (at, id) < (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::bigint))
       order by at desc, id desc limit $5`,
      [filter.actor ?? null, filter.action ?? null, filter.from ?? null, filter.to ?? null, limit + 1, ...(filter.after ?? [null, null])],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      records: page.map(({ atUs: _at, ...row }) => ({ ...row, at: row.at.toISOString() })),
      next: rows.length > limit && last ? [last.atUs, String(last.id)] : null,
    };
  }
}
