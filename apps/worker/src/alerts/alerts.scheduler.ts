import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AlertEvaluator, AlertRulesRepository, RemovedEndpointRules, ruleDefinitionSchema, starterPack } from '@hallwatch/alerts';
import { AppConfig } from '@hallwatch/config';
import { JobPayloads, QUEUES } from '@hallwatch/jobs';
import { loadRegistryFolder } from '@hallwatch/registry';

/**
 * Seeds alert rules from the registry (a site's `alertRules`, and the starter pack where its
 * `alertStarterPack` attribute is true), then schedules the tick (alerts queue), the daily tuning
 * and the hourly maintenance planning (housekeeping queue); job schedulers are idempotent across workers.
 */
@Injectable()
export class AlertsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertsScheduler.name);

  constructor(
    @InjectQueue(QUEUES.alerts) private readonly queue: Queue,
    @InjectQueue(QUEUES.housekeeping) private readonly housekeeping: Queue,
    private readonly rules: AlertRulesRepository,
    private readonly removedEndpoints: RemovedEndpointRules,
    private readonly evaluator: AlertEvaluator,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed();
    const correlationId = randomUUID();
    const tick: JobPayloads['alerts.tick'] = { correlationId };
    const tune: JobPayloads['alerts.tune'] = { correlationId };
    const plan: JobPayloads['maintenance.plan'] = { correlationId };
    await this.queue.upsertJobScheduler(
      'alerts-tick',
      { every: this.config.get('ALERT_TICK_SECONDS') * 1000 },
      { name: 'alerts.tick', data: tick },
    );
    await this.housekeeping.upsertJobScheduler('alerts-tune-daily', { every: 86_400_000 }, { name: 'alerts.tune', data: tune });
    await this.housekeeping.upsertJobScheduler('maintenance-plan-hourly', { every: 3_600_000 }, { name: 'maintenance.plan', data: plan });
    // Until 2026-12 these ran on the alerts queue; an installation that had them there drops them.
    await this.queue.removeJobScheduler('alerts-tune-daily');
    await this.queue.removeJobScheduler('maintenance-plan-hourly');
  }

  private async seed(): Promise<void> {
    const folder = this.config.get('REGISTRY_DIR');
    if (!existsSync(folder)) return;
    let seeded = 0;
    const sites = loadRegistryFolder(folder);
    for (const site of sites) {
      const declared = (site.alertRules ?? []).map((rule) => ruleDefinitionSchema.parse({ site: site.key, ...rule }));
      seeded += await this.rules.seed(declared, 'registry');
      if (site.attributes.alertStarterPack === true) seeded += await this.rules.seed(starterPack(site), 'starter-pack');
    }
    const switched = await this.removedEndpoints.apply(sites);
    if (seeded > 0) this.logger.log(`seeded ${seeded} alert rules from the registry`);
    if (seeded > 0 || switched > 0) await this.evaluator.announceChange();
  }
}
