import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { RuleDefinition, ruleDefinitionSchema } from './rules';

export interface StoredRule {
  rule: RuleDefinition;
  enabled: boolean;
  origin: string;
  updatedBy: string;
  updatedAt: string;
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

  async enabled(): Promise<RuleDefinition[]> {
    return (await this.list()).filter((stored) => stored.enabled).map((stored) => stored.rule);
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

  async remove(id: string): Promise<boolean> {
    return (await this.db.query('delete from alert_rules where id = $1 returning id', [id])).length > 0;
  }
}
