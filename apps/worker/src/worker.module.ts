import { Module } from '@nestjs/common';
import { AlertsModule } from '@hallwatch/alerts';
import { AuthModule } from '@hallwatch/auth';
import { CoreModule } from '@hallwatch/core';
import { JobsModule } from '@hallwatch/jobs';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { SavingsModule } from '@hallwatch/savings';
import { AlertsProcessor } from './alerts/alerts.processor';
import { AlertsScheduler } from './alerts/alerts.scheduler';
import { NightPatrolTuning } from './alerts/night-patrol-tuning.service';
import { NotificationDelivery } from './alerts/notification-delivery.service';
import { NotificationsProcessor } from './alerts/notifications.processor';
import { HousekeepingProcessor } from './housekeeping/housekeeping.processor';
import { HousekeepingScheduler } from './housekeeping/housekeeping.scheduler';
import { RetentionService } from './housekeeping/retention.service';
import { JobOutcomes } from './job-outcomes.service';
import { OutboxRelay } from './jobs/outbox-relay.service';
import { QueueMetrics } from './jobs/queue-metrics.service';
import { MailService } from './mail/mail.service';
import { ReportGeneration } from './reports/report-generation.service';
import { ReportsProcessor } from './reports/reports.processor';
import { ReportsScheduler } from './reports/reports.scheduler';
import { ScheduledReports } from './reports/scheduled-reports.service';

/** BullMQ processors: work that must survive a crash and be retried. */
@Module({
  imports: [CoreModule, AuthModule, SavingsModule, AlertsModule, JobsModule, ReadingsModule, RegistryModule],
  providers: [
    JobOutcomes,
    OutboxRelay,
    QueueMetrics,
    MailService,
    RetentionService,
    HousekeepingProcessor,
    HousekeepingScheduler,
    ReportGeneration,
    ScheduledReports,
    ReportsProcessor,
    ReportsScheduler,
    NotificationDelivery,
    NightPatrolTuning,
    AlertsProcessor,
    NotificationsProcessor,
    AlertsScheduler,
  ],
})
export class WorkerModule {}
