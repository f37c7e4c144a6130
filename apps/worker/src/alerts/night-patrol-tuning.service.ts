import { Injectable, Logger } from '@nestjs/common';
import { AlertEvaluator, AlertRulesRepository, nightBaseLoadKw } from '@hallwatch/alerts';
import { RollupRepository } from '@hallwatch/readings';

const HISTORY_DAYS = 14;

/**
 * The night patrol (夜間用電巡檢) flags after-hours load above the building's normal night base
 * load. That base load is learnt daily from the previous two weeks of nights, on the site's clock.
 */
@Injectable()
export class NightPatrolTuning {
  private readonly logger = new Logger(NightPatrolTuning.name);

  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly rollups: RollupRepository,
    private readonly evaluator: AlertEvaluator,
  ) {}

  async tune(now = Date.now()): Promise<number> {
    let tuned = 0;
    for (const stored of await this.rules.list()) {
      const { rule } = stored;
      if (rule.tuning?.kind !== 'night-base-load' || rule.condition.type !== 'threshold') continue;
      const { asset, point } = rule.condition.point;
      const samples = await this.rollups.quarterHourMeans(
        rule.site,
        asset,
        point,
        new Date(now - HISTORY_DAYS * 86_400_000),
        new Date(now),
      );
      const base = nightBaseLoadKw(samples, { zone: await this.rules.timezoneOf(rule.site) });
      if (base === null) continue;
      const above = Math.round(base * rule.tuning.factor * 10) / 10;
      if (above === rule.condition.above) continue;
      await this.rules.upsert({ ...rule, condition: { ...rule.condition, above } }, stored.origin, 'night-patrol tuning', stored.enabled);
      this.logger.log(`${rule.id}: night base load ${base.toFixed(1)} kW, alert above ${above} kW`);
      tuned += 1;
    }
    if (tuned > 0) await this.evaluator.announceChange();
    return tuned;
  }
}
