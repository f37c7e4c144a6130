import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { ZodError } from 'zod';
import { DomainError } from '@hallwatch/core';
import { handleJob, JobHandlers, QUEUES } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';
import { ReportGeneration, RunNotFound } from './report-generation.service';
import { ScheduledReports } from './scheduled-reports.service';

/** Report runs and scheduled reports: slow, on their own queue, one at a time per worker. */
@Processor(QUEUES.reports, { concurrency: 1 })
export class ReportsProcessor extends WorkerHost {
  private readonly handlers: JobHandlers<typeof QUEUES.reports>;

  constructor(
    private readonly generation: ReportGeneration,
    scheduled: ScheduledReports,
    private readonly outcomes: JobOutcomes,
  ) {
    super();
    this.handlers = {
      'reports.generate': (data, job) => this.generate(data.runId, job),
      'reports.due': (data) => scheduled.runDue(data.today),
    };
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.outcomes.record(QUEUES.reports, job, 'completed');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined): void {
    this.outcomes.record(QUEUES.reports, job, 'failed');
  }

  process(job: Job): Promise<unknown> {
    return handleJob(job, QUEUES.reports, this.handlers);
  }

  private async generate(runId: string, job: Job): Promise<unknown> {
    try {
      return await this.generation.generate(runId, (percent) => job.updateProgress(percent));
    } catch (error) {
      // A bad request or a missing run will not get better by retrying; anything else may.
      const permanent = error instanceof DomainError || error instanceof ZodError || error instanceof RunNotFound;
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1;
      if (permanent || attemptsLeft <= 0) await this.generation.fail(runId, error as Error);
      throw permanent ? new UnrecoverableError((error as Error).message) : error;
    }
  }
}
