import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { DEFAULT_TIME_ZONE } from '@hallwatch/domain';
import { parseOccupiedHours, RuleDefinition, ruleDefinitionSchema, ScheduleWindow } from './rules';

export interface StoredRule {
  rule: RuleDefinition;
  enabled: boolean;
  origin: string;
  updatedBy: string;
  updatedAt: string;
}

/** A rule with its site's time zone, which its schedule is read in, and the site's occupied hours (comfort rules). */
export interface ZonedRule {
  rule: RuleDefinition;
  timezone: string;
  /** From the site's `occupiedHours` attribute; undefined: the default (weekdays 08:00-18:00). */
  occupiedHours?: ScheduleWindow[];
}

/** Alert rules as stored; every definition is validated on the way in and out. */
@Injectable()
export class AlertRulesRepository {
  constructor(private readonly db: Database) {}

  async list(site?: string): Promise<StoredRule[]> {
    const rows = await this.db.query<{ definition: unknown; enabled: boolean; origin: string; updated_by: string; updated_at: Date }>(
      'select definition, enabled, origin, updated_by, updated_at from alert_rules where $1::text is null or site = $1 order by id',
      [site ?? null],
    );
    return rows.map((row) => ({
      rule: ruleDefinitionSchema.parse(row.definition),
      enabled: row.enabled,
      origin: row.origin,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  /** The enabled rules with their sites' time zones (a rule of a site not in the registry: the default zone). */
  async enabled(): Promise<ZonedRule[]> {
    const rows = await this.db.query<{ definition: unknown; timezone: string; occupied: string | null }>(
      `select r.definition, coalesce(s.timezone, $1) as timezone, s.attributes->>'occupiedHours' as occupied
       from alert_rules r left join sites s on s.key = r.site
       where r.enabled order by r.id`,
      [DEFAULT_TIME_ZONE],
    );
    return rows.map((row) => ({
      rule: ruleDefinitionSchema.parse(row.definition),
      timezone: row.timezone,
      occupiedHours: (row.occupied && parseOccupiedHours(row.occupied)) || undefined,
    }));
  }

  /** The time zone of a rule's site (the default zone for a site not in the registry). */
  async timezoneOf(site: string): Promise<string> {
    const [row] = await this.db.query<{ timezone: string }>('select timezone from sites where key = $1', [site]);
    return row?.timezone ?? DEFAULT_TIME_ZONE;
  }

  /** The site a rule is stored under (for site scope); undefined when there is no such rule. */
  async siteOf(id: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ site: string }>('select site from alert_rules where id = $1', [id]);
    return row?.site;
  }

  async find(id: string): Promise<StoredRule | undefined> {
    return (await this.list()).find((stored) => stored.rule.id === id);
  }

  async upsert(rule: RuleDefinition, origin: string, by: string, enabled = true): Promise<void> {
    await this.db.query(
      `insert into alert_rules (id, site, definition, enabled, origin, updated_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (id) do update set site = excluded.site, definition = excluded.definition, enabled = excluded.enabled,
         origin = excluded.origin, updated_by = excluded.updated_by, updated_at = now()`,
      [rule.id, rule.site, JSON.stringify(rule), enabled, origin, by],
    );
  }

  /** Seeds rules without overwriting any an engineer has since changed through the API. */
  async seed(rules: RuleDefinition[], origin: string): Promise<number> {
    let added = 0;
    for (const rule of rules) {
      const rows = await this.db.query(
        `insert into alert_rules (id, site, definition, origin, updated_by) values ($1, $2, $3, $4, $4)
         on conflict (id) do update set definition = excluded.definition, updated_at = now()
           where alert_rules.origin = excluded.origin and alert_rules.updated_by = excluded.updated_by
         returning id`,
        [rule.id, rule.site, JSON.stringify(rule), origin],
      );
      added += rows.length;
    }
    return added;
  }

  /** Disabled: kept, but not evaluated. `by` is recorded as its last editor. */
  async setEnabled(id: string, enabled: boolean, by: string): Promise<void> {
    await this.db.query('update alert_rules set enabled = $2, updated_by = $3, updated_at = now() where id = $1', [id, enabled, by]);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.query('delete from alert_rules where id = $1 returning id', [id])).length > 0;
  }
}
