import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { MetricsService } from '@hallwatch/core';
import { JobOutbox, QUEUES } from '@hallwatch/jobs';

/** In /metrics at each scrape: per queue, how many jobs wait and how long the oldest has waited; the outbox's backlog. */
@Injectable()
export class QueueMetrics {
  constructor(
    metrics: MetricsService,
    outbox: JobOutbox,
    @InjectQueue(QUEUES.alerts) alerts: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.reports) reports: Queue,
    @InjectQueue(QUEUES.housekeeping) housekeeping: Queue,
  ) {
    const queues = [alerts, notifications, reports, housekeeping];
    const waiting = metrics.gauge({
      name: 'hallwatch_queue_waiting_jobs',
      help: 'BullMQ jobs waiting to be taken, by queue',
      labelNames: ['queue'],
      collect: async () => {
        const counts = await Promise.all(queues.map((queue) => queue.getWaitingCount()));
        queues.forEach((queue, i) => waiting.set({ queue: queue.name }, counts[i]));
      },
    });
    const oldest = metrics.gauge({
      name: 'hallwatch_queue_oldest_waiting_seconds',
      help: 'How long the oldest waiting BullMQ job has waited, by queue (0: none waits)',
      labelNames: ['queue'],
      collect: async () => {
        const firsts = await Promise.all(queues.map((queue) => queue.getWaiting(0, 0)));
        const now = Date.now();
        queues.forEach((queue, i) => {
          const job = firsts[i][0];
          // A delayed job waits from when it became due, not from when it was added.
          oldest.set({ queue: queue.name }, job ? Math.max(0, now - job.timestamp - (job.delay ?? 0)) / 1000 : 0);
        });
      },
    });
    const unrelayed = metrics.gauge({
      name: 'hallwatch_outbox_unrelayed_jobs',
      help: 'Jobs committed to the outbox and not yet relayed to BullMQ',
      collect: async () => {
        unrelayed.set(await outbox.unrelayed());
      },
    });
  }
}
