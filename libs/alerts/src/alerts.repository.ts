import { Injectable } from '@nestjs/common';
import { Database, isoDates, Queryable } from '@hallwatch/db';
import { Severity } from './rules';
import { AlertFacts } from './text/alert-facts';

export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  id: number;
  ruleId: string;
  site: string;
  target: string;
  state: AlertState;
  severity: Severity;
  title: string;
  detail: string;
  value: number | null;
  /** What the text is made of, to tell it in each reader's language; null for alerts from before 2026-12. */
  facts: AlertFacts | null;
  repeats: number;
  assignee: string | null;
  shelvedUntil: string | null;
  escalationLevel: number;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  updatedAt: string;
}

export interface AlertEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface OpenAlert {
  ruleId: string;
  site: string;
  target: string;
  severity: Severity;
  title: string;
  detail: string;
  value: number | null;
  at: number;
  facts?: AlertFacts | null;
}

const COLUMNS = `id::int, rule_id as "ruleId", site, target, state, severity, title, detail, value, facts, repeats, assignee,
  shelved_until as "shelvedUntil", escalation_level as "escalationLevel", opened_at as "openedAt", acknowledged_at as "acknowledgedAt",
  acknowledged_by as "acknowledgedBy", resolved_at as "resolvedAt", resolved_by as "resolvedBy", updated_at as "updatedAt"`;

export interface AlertListFilter {
  state?: AlertState;
  site?: string;
  /** Only these sites (a caller scoped to some sites); `site` narrows to one. */
  sites?: string[];
  limit?: number;
}

/** Where a page of the alert list stopped: state rank (0 open, 1 acknowledged, 2 resolved), severity, opened_at in µs since the epoch, id. */
export type AlertListKey = [stateRank: string, severity: string, openedUs: string, id: string];

const STATE_RANK = `case state when 'open' then 0 when 'acknowledged' then 1 else 2 end`;

/** Alerts and their history. Every change is one statement plus its event, in one transaction. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly db: Database) {}

  async list(filter: AlertListFilter = {}): Promise<Alert[]> {
    return (await this.page(filter)).alerts;
  }

  /**
   * A page of the list in its order (open, then acknowledged, then resolved; by severity; newest
   * first; id last, so the order is total) starting after `after`, and the key of its last row
   * when more follow. The key's time is in microseconds, as stored.
   */
  async page(filter: AlertListFilter & { after?: AlertListKey }): Promise<{ alerts: Alert[]; next: AlertListKey | null }> {
    const limit = filter.limit ?? 200;
    const after = filter.after ?? null;
    const rows = await this.db.query<Alert & { stateRank: number; openedUs: string }>(
      `select ${COLUMNS}, ${STATE_RANK} as "stateRank", (extract(epoch from opened_at) * 1000000)::bigint::text as "openedUs"
       from alerts
       where ($1::text is null or state = $1) and ($2::text[] is null or site = any($2::text[]))
         and ($4::int is null or (${STATE_RANK}, severity, timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::bigint)
                                 > ($4::int, $5::text, opened_at, id))
       order by ${STATE_RANK}, severity, opened_at desc, id desc limit $3`,
      [filter.state ?? null, filter.sites ?? (filter.site ? [filter.site] : null), limit + 1, ...(after ?? [null, null, null, null])],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      alerts: page.map(({ stateRank: _rank, openedUs: _opened, ...alert }) => isoDates(alert)),
      next: rows.length > limit && last ? [String(last.stateRank), last.severity, last.openedUs, String(last.id)] : null,
    };
  }

  async find(id: number): Promise<Alert | undefined> {
    const [row] = await this.db.query<Alert>(`select ${COLUMNS} from alerts where id = $1`, [id]);
    return row && isoDates(row);
  }

  async unresolved(ruleId: string, target: string): Promise<Alert | undefined> {
    const [row] = await this.db.query<Alert>(`select ${COLUMNS} from alerts where rule_id = $1 and target = $2 and state <> 'resolved'`, [
      ruleId,
      target,
    ]);
    return row && isoDates(row);
  }

  async events(alertId: number): Promise<AlertEvent[]> {
    const rows = await this.db.query<AlertEvent>(
      'select id::int, at, actor, action, detail from alert_events where alert_id = $1 order by id',
      [alertId],
    );
    return rows.map(isoDates);
  }

  /** Opens an alert, or counts a repeat on the one already open for the rule and target. */
  async open(alert: OpenAlert, actor: string, tx?: Queryable): Promise<{ alert: Alert; created: boolean }> {
    return this.within(tx, async (tx) => {
      const [row] = await tx.query<Alert & { created: boolean }>(
        `insert into alerts (rule_id, site, target, state, severity, title, detail, value, opened_at, facts)
         values ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9)
         on conflict (rule_id, target) where state <> 'resolved'
         do update set repeats = alerts.repeats + 1, detail = excluded.detail, value = excluded.value, facts = excluded.facts, updated_at = now()
         returning ${COLUMNS}, (xmax = 0) as created`,
        [
          alert.ruleId,
          alert.site,
          alert.target,
          alert.severity,
          alert.title,
          alert.detail,
          alert.value,
          new Date(alert.at),
          alert.facts ? JSON.stringify(alert.facts) : null,
        ],
      );
      const { created, ...opened } = row;
      await this.event(tx, opened.id, actor, created ? 'opened' : 'repeated', {
        detail: alert.detail,
        value: alert.value,
        at: new Date(alert.at).toISOString(),
      });
      return { alert: isoDates(opened), created };
    });
  }

  async acknowledge(id: number, by: string, note?: string): Promise<Alert | undefined> {
    return this.change(id, by, 'acknowledged', `state = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2`, `state = 'open'`, {
      note,
    });
  }

  /** `notes`: the note in each language, when it has them (a rule's resolution). */
  async resolve(
    id: number,
    by: string,
    at: Date,
    note?: string,
    tx?: Queryable,
    notes?: Record<string, string>,
  ): Promise<Alert | undefined> {
    return this.change(
      id,
      by,
      'resolved',
      `state = 'resolved', resolved_at = $3, resolved_by = $2`,
      `state <> 'resolved'`,
      notes ? { note, notes } : { note },
      [at],
      tx,
    );
  }

  async assign(id: number, by: string, assignee: string): Promise<Alert | undefined> {
    return this.change(id, by, 'assigned', 'assignee = $3', `state <> 'resolved'`, { assignee }, [assignee]);
  }

  async shelve(id: number, by: string, until: Date | null): Promise<Alert | undefined> {
    return this.change(
      id,
      by,
      until ? 'shelved' : 'unshelved',
      'shelved_until = $3',
      `state <> 'resolved'`,
      { until: until?.toISOString() ?? null },
      [until],
    );
  }

  /** Records that a rule transition (by its key) is applied; false if it was before. */
  async claimTransition(key: string, tx: Queryable = this.db): Promise<boolean> {
    const rows = await tx.query('insert into applied_transitions (key) values ($1) on conflict do nothing returning key', [key]);
    return rows.length > 0;
  }

  async setEscalationLevel(id: number, level: number, tx: Queryable = this.db): Promise<void> {
    await tx.query('update alerts set escalation_level = greatest(escalation_level, $2), updated_at = now() where id = $1', [id, level]);
  }

  async comment(id: number, by: string, text: string): Promise<AlertEvent | undefined> {
    if (!(await this.find(id))) return undefined;
    return this.db.transaction((tx) => this.event(tx, id, by, 'commented', { text }));
  }

  async record(id: number, actor: string, action: string, detail: Record<string, unknown>, tx?: Queryable): Promise<void> {
    await this.within(tx, (tx) => this.event(tx, id, actor, action, detail));
  }

  /** In the caller's transaction when there is one (the change and the jobs it calls for commit together), else in its own. */
  private within<T>(tx: Queryable | undefined, work: (tx: Queryable) => Promise<T>): Promise<T> {
    return tx ? work(tx) : this.db.transaction(work);
  }

  private async change(
    id: number,
    by: string,
    action: string,
    set: string,
    when: string,
    detail: Record<string, unknown>,
    extra: unknown[] = [],
    tx?: Queryable,
  ): Promise<Alert | undefined> {
    return this.within(tx, async (tx) => {
      const [row] = await tx.query<Alert>(
        `update alerts set ${set}, updated_at = now() where id = $1 and ${when} and $2::text is not null returning ${COLUMNS}`,
        [id, by, ...extra],
      );
      if (!row) return undefined;
      await this.event(tx, id, by, action, detail);
      return isoDates(row);
    });
  }

  private async event(tx: Queryable, alertId: number, actor: string, action: string, detail: Record<string, unknown>): Promise<AlertEvent> {
    const [row] = await tx.query<AlertEvent>(
      'insert into alert_events (alert_id, actor, action, detail) values ($1, $2, $3, $4) returning id::int, at, actor, action, detail',
      [alertId, actor, action, JSON.stringify(detail)],
    );
    return isoDates(row);
  }
}
