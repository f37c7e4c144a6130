import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Database, isoDates, Queryable } from '@hallwatch/db';
import { Channel } from './notification-settings.repository';

export type NotificationReason = 'opened' | 'repeat' | 'escalated' | 'resolved';

export interface Notification {
  id: string;
  alertId: number;
  contactId: string;
  channel: Channel;
  reason: NotificationReason;
  level: number;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const COLUMNS = `id, alert_id::int as "alertId", contact_id as "contactId", channel, reason, level, state, attempts,
  last_error as "lastError", created_at as "createdAt", delivered_at as "deliveredAt"`;

export interface NotificationListFilter {
  alertId?: number;
  state?: Notification['state'];
  /** Only notifications of alerts at these sites (a caller scoped to some sites). */
  sites?: string[];
  limit?: number;
}

/** Where a page of notifications stopped: created_at in µs since the epoch, id (a UUID). */
export type NotificationListKey = [createdUs: string, id: string];

/** Every notification is a row first, then a job: a delivery that fails for good stays visible here. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates the notifications not made before: an entry whose `dedupeKey` (alert, occasion and
   * contact) exists already is skipped, so a job run twice tells nobody twice. Returns those created.
   */
  async create(
    tx: Queryable,
    entries: Array<{ alertId: number; contactId: string; channel: Channel; reason: NotificationReason; level: number; dedupeKey: string }>,
  ): Promise<Notification[]> {
    if (entries.length === 0) return [];
    const rows = await tx.query<Notification>(
      `insert into notifications (id, alert_id, contact_id, channel, reason, level, dedupe_key)
       select * from unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])
       on conflict (dedupe_key) do nothing returning ${COLUMNS}`,
      [
        entries.map(() => randomUUID()),
        entries.map((e) => e.alertId),
        entries.map((e) => e.contactId),
        entries.map((e) => e.channel),
        entries.map((e) => e.reason),
        entries.map((e) => e.level),
        entries.map((e) => e.dedupeKey),
      ],
    );
    return rows.map(isoDates);
  }

  async find(id: string): Promise<Notification | undefined> {
    const [row] = await this.db.query<Notification>(`select ${COLUMNS} from notifications where id = $1`, [id]);
    return row && isoDates(row);
  }

  async list(filter: NotificationListFilter = {}): Promise<Notification[]> {
    return (await this.page(filter)).notifications;
  }

  /** A page, newest first (created_at, then id, both descending) after `after`, and the key of its last row when more follow. */
  async page(
    filter: NotificationListFilter & { after?: NotificationListKey },
  ): Promise<{ notifications: Notification[]; next: NotificationListKey | null }> {
    const limit = filter.limit ?? 200;
    const rows = await this.db.query<Notification & { createdUs: string }>(
      `select ${COLUMNS}, (extract(epoch from created_at) * 1000000)::bigint::text as "createdUs" from notifications n
       where ($1::bigint is null or alert_id = $1) and ($2::text is null or state = $2)
         and ($4::text[] is null or exists (select 1 from alerts a where a.id = n.alert_id and a.site = any($4::text[])))
         and ($5::bigint is null or (created_at, id) < (timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6::uuid))
       order by created_at desc, id desc limit $3`,
      [filter.alertId ?? null, filter.state ?? null, limit + 1, filter.sites ?? null, ...(filter.after ?? [null, null])],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      notifications: page.map(({ createdUs: _created, ...notification }) => isoDates(notification)),
      next: rows.length > limit && last ? [last.createdUs, last.id] : null,
    };
  }

  /** Contacts already told of an alert (to tell them it resolved). */
  async contactsReached(alertId: number): Promise<string[]> {
    const rows = await this.db.query<{ contactId: string }>(
      `select distinct contact_id as "contactId" from notifications where alert_id = $1 and reason <> 'resolved' order by 1`,
      [alertId],
    );
    return rows.map((row) => row.contactId);
  }

  async attempted(id: string, error: string | null): Promise<void> {
    await this.db.query(
      `update notifications set attempts = attempts + 1, last_error = $2,
         state = case when $2::text is null then 'delivered' else state end,
         delivered_at = case when $2::text is null then now() else delivered_at end
       where id = $1`,
      [id, error],
    );
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.query(`update notifications set state = 'failed', last_error = $2 where id = $1`, [id, error]);
  }
}
