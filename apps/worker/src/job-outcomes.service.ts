import { Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { Counter } from 'prom-client';
import { MetricsService } from '@hallwatch/core';

/** Counts BullMQ jobs by queue, name and outcome for /metrics. */
@Injectable()
export class JobOutcomes {
  private readonly jobs: Counter<string>;

  constructor(metrics: MetricsService) {
    this.jobs = metrics.counter({ name: 'hallwatch_jobs_total', help: 'BullMQ jobs by outcome', labelNames: ['queue', 'name', 'outcome'] });
  }

  record(queue: string, job: Job | undefined, outcome: 'completed' | 'failed'): void {
    this.jobs.inc({ queue, name: job?.name ?? 'unknown', outcome });
  }
}
