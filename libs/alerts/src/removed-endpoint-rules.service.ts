import { Injectable, Logger } from '@nestjs/common';
import type { SiteDefinition } from '@hallwatch/registry';
import { AlertLifecycle } from './alert-lifecycle.service';
import { AlertRulesRepository } from './alert-rules.repository';
import { AlertsRepository } from './alerts.repository';
import { pointsOf, RuleDefinition, SOURCE_ASSET } from './rules';

/** The rule's last editor while it is disabled for a removed endpoint: the mark that re-enables it when the endpoint returns. */
const REMOVAL = 'registry-removal';

/**
 * Rules that watch an OPC UA endpoint no longer in the registry (its `$source` point
 * `opcua:<key>`) would stay enabled and their alerts open for good, as nothing will ever report
 * that endpoint again: they are disabled (kept, to read) and their open alerts resolved. Put the
 * endpoint back and its rules are enabled again.
 */
@Injectable()
export class RemovedEndpointRules {
  private readonly logger = new Logger(RemovedEndpointRules.name);

  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  /** Returns how many rules it disabled or enabled again. */
  async apply(sites: readonly SiteDefinition[]): Promise<number> {
    const registered = new Set(sites.flatMap((site) => site.opcua.map((endpoint) => endpoint.key)));
    let changed = 0;
    for (const { rule, enabled, origin, updatedBy } of await this.rules.list()) {
      const gone = endpointsOf(rule).filter((key) => !registered.has(key));
      if (enabled && gone.length > 0) {
        await this.retire(rule, `OPC UA endpoint ${gone.join(', ')} removed from the registry`);
        changed += 1;
      } else if (!enabled && updatedBy === REMOVAL && gone.length === 0) {
        await this.rules.setEnabled(rule.id, true, origin);
        this.logger.log(`alert rule ${rule.id} enabled again: its OPC UA endpoint is back in the registry`);
        changed += 1;
      }
    }
    return changed;
  }

  private async retire(rule: RuleDefinition, why: string): Promise<void> {
    await this.rules.setEnabled(rule.id, false, REMOVAL);
    const open = await this.alerts.unresolved(rule.id, rule.target);
    if (open) await this.lifecycle.resolve(open.id, REMOVAL, new Date(), why);
    this.logger.log(`alert rule ${rule.id} disabled${open ? ` and alert #${open.id} resolved` : ''}: ${why}`);
  }
}

/** The OPC UA endpoints a rule watches (`$source` points `opcua:<key>`). */
function endpointsOf(rule: RuleDefinition): string[] {
  return pointsOf(rule.condition)
    .filter((point) => point.asset === SOURCE_ASSET && point.point.startsWith('opcua:'))
    .map((point) => point.point.slice('opcua:'.length));
}
