import { Module } from '@nestjs/common';
import { JobsModule } from '@hallwatch/jobs';
import { LiveModule } from '@hallwatch/live';
import { ReadingsModule } from '@hallwatch/readings';
import { AlertEvaluator } from './alert-evaluator.service';
import { AlertLifecycle } from './alert-lifecycle.service';
import { AlertPlacesRepository } from './alert-places.repository';
import { AlertRulesRepository } from './alert-rules.repository';
import { AlertStateStore } from './alert-state.store';
import { AlertsRepository } from './alerts.repository';
import { MaintenancePlanner } from './maintenance-planner.service';
import { MaintenanceRepository } from './maintenance.repository';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationsRepository } from './notifications.repository';
import { RemovedEndpointRules } from './removed-endpoint-rules.service';

const providers = [
  AlertRulesRepository,
  AlertStateStore,
  AlertEvaluator,
  AlertsRepository,
  AlertLifecycle,
  AlertPlacesRepository,
  NotificationSettingsRepository,
  NotificationsRepository,
  MaintenanceRepository,
  MaintenancePlanner,
  RemovedEndpointRules,
];

/** Alert rules, their evaluation, the alert lifecycle, notifications settings and maintenance. */
@Module({ imports: [JobsModule, LiveModule, ReadingsModule], providers, exports: providers })
export class AlertsModule {}
