import { Injectable } from '@nestjs/common';
import { AlertRulesRepository, AlertsRepository, MaintenanceRepository } from '@hallwatch/alerts';
import { SiteOwned } from '@hallwatch/auth';
import { ReportRunsRepository } from '@hallwatch/savings';

const BIGINT_ID = /^\d{1,18}$/;
const INT_ID = /^\d{1,9}$/;
const TEXT_ID = /^.+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What site scoping needs: the site of a thing addressed by id, asked of the repository that owns
 * it. An id of the wrong shape is no such thing (the route answers 404 or 400 itself).
 */
@Injectable()
export class SiteOfService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly rules: AlertRulesRepository,
    private readonly maintenance: MaintenanceRepository,
    private readonly reports: ReportRunsRepository,
  ) {}

  async siteOf(kind: SiteOwned, id: string): Promise<string | undefined> {
    switch (kind) {
      case 'alert':
        return BIGINT_ID.test(id) ? (await this.alerts.find(Number(id)))?.site : undefined;
      case 'alert-rule':
        return TEXT_ID.test(id) ? this.rules.siteOf(id) : undefined;
      case 'maintenance-task':
        return TEXT_ID.test(id) ? (await this.maintenance.task(id))?.site : undefined;
      case 'work-item':
        return BIGINT_ID.test(id) ? (await this.maintenance.workItem(Number(id)))?.site : undefined;
      case 'report-run':
        return UUID.test(id) ? ((await this.reports.find(id))?.params.site ?? undefined) : undefined;
      case 'report-schedule':
        return INT_ID.test(id) ? ((await this.reports.schedule(Number(id)))?.params.site ?? undefined) : undefined;
    }
  }
}
