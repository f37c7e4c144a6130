import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { describePeriod } from '@hallwatch/calc';
import { DEFAULT_TIME_ZONE, localDate } from '@hallwatch/domain';
import { RegistryRepository } from '@hallwatch/registry';
import { latestCompletedPeriod, ReportRunsRepository, ReportSchedule, savingsRequestSchema } from '@hallwatch/savings';
import { MailService } from '../mail/mail.service';
import { ReportGeneration } from './report-generation.service';

/**
 * Produces each schedule's report for the newest month or half-year that has ended on its site's
 * calendar, once, and e-mails it. It runs hourly and catches up: a worker that was down on the 1st
 * still sends it.
 */
@Injectable()
export class ScheduledReports {
  private readonly logger = new Logger(ScheduledReports.name);

  constructor(
    private readonly runs: ReportRunsRepository,
    private readonly generation: ReportGeneration,
    private readonly mail: MailService,
    private readonly registry: RegistryRepository,
  ) {}

  /** `date` stands for today on every site's calendar (tests); otherwise each site's own date at `now`. */
  async runDue(date?: string, now = Date.now()): Promise<{ generated: string[]; emailed: string[] }> {
    const result = { generated: [] as string[], emailed: [] as string[] };
    for (const schedule of await this.runs.schedules(true)) {
      const zone = (await this.registry.findSite(schedule.params.site))?.timezone ?? DEFAULT_TIME_ZONE;
      const period = latestCompletedPeriod(schedule.cadence, date ?? localDate(now, zone));
      // Only periods that end after the schedule was set up (on the site's calendar): a new schedule does not back-fill.
      if (period.to <= localDate(Date.parse(schedule.createdAt), zone)) continue;
      let run = await this.runs.scheduledRun(schedule.id, period.from);
      if (!run || run.state !== 'done') {
        const runId = run?.id ?? randomUUID();
        if (!run)
          await this.runs.create(
            runId,
            savingsRequestSchema.parse({ ...schedule.params, ...period }),
            `schedule ${schedule.id}`,
            schedule.id,
          );
        await this.generation.generate(runId, async () => {});
        result.generated.push(runId);
        run = await this.runs.find(runId);
      }
      if (run && !run.emailedAt && schedule.recipients.length > 0) {
        await this.email(schedule, run.id, period);
        result.emailed.push(run.id);
      }
    }
    return result;
  }

  private async email(schedule: ReportSchedule, runId: string, period: { from: string; to: string }): Promise<void> {
    const file = await this.runs.file(runId);
    if (!file) throw new Error(`report run ${runId} has no file`);
    const zh = schedule.params.lang === 'zh-TW';
    const label = describePeriod(period, schedule.params.lang);
    await this.mail.send({
      to: schedule.recipients,
      subject: zh ? `Hallwatch 節能成效報告 ${schedule.params.site} ${label}` : `Hallwatch savings report ${schedule.params.site} ${label}`,
      text: zh ? `附件為 ${label} 之節能成效報告。` : `Attached: the savings report for ${label}.`,
      attachments: [{ filename: file.fileName, content: file.content, contentType: file.contentType }],
    });
    await this.runs.markEmailed(runId);
    this.logger.log(`schedule ${schedule.id}: ${file.fileName} e-mailed to ${schedule.recipients.length} recipients`);
  }
}
