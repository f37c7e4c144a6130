import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Faults, JOB_QUEUE, JOB_RETRIES, JobOutbox, OutboxRow, QueueName, QUEUES } from '@hallwatch/jobs';

const POLL_MS = 200;
const RETRY_MS = 2000;
const BATCH = 200;
const KEEP_RELAYED_MS = 7 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Relays the job outbox to BullMQ: rows committed with the change that called for them are
 * enqueued under their keys as job ids, then marked relayed. A relay that dies after enqueueing
 * sends the same rows again; BullMQ keeps one job per id, and the handlers de-duplicate on the
 * database's keys besides. Several workers relay side by side (rows are locked, others skipped).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Record<QueueName, Queue>;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = false;
  private failing?: string;
  private purgedAt = 0;

  constructor(
    private readonly outbox: JobOutbox,
    private readonly faults: Faults,
    @InjectQueue(QUEUES.alerts) alerts: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.reports) reports: Queue,
    @InjectQueue(QUEUES.housekeeping) housekeeping: Queue,
  ) {
    this.queues = { alerts, notifications, reports, housekeeping };
  }

  onApplicationBootstrap(): void {
    this.next(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** Relays everything unrelayed now; returns how many jobs were sent. */
  async relayAll(): Promise<number> {
    let sent = 0;
    for (let batch = BATCH; batch === BATCH;) {
      batch = await this.outbox.relay(BATCH, (rows) => this.send(rows));
      sent += batch;
    }
    return sent;
  }

  private next(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.relayPass().then((ok) => this.next(ok ? POLL_MS : RETRY_MS));
    }, delayMs);
  }

  private async relayPass(): Promise<boolean> {
    try {
      await this.relayAll();
      if (Date.now() - this.purgedAt > PURGE_EVERY_MS) {
        await this.outbox.purge(new Date(Date.now() - KEEP_RELAYED_MS));
        this.purgedAt = Date.now();
      }
      if (this.failing) this.logger.log('relaying the job outbox again');
      this.failing = undefined;
      return true;
    } catch (error) {
      const message = (error as Error).message;
      if (this.failing !== message) this.logger.warn(`cannot relay the job outbox (retrying): ${message}`);
      this.failing = message;
      return false;
    }
  }

  private async send(rows: OutboxRow[]): Promise<void> {
    const now = Date.now();
    const byQueue = new Map<QueueName, OutboxRow[]>();
    for (const row of rows) byQueue.set(JOB_QUEUE[row.name], [...(byQueue.get(JOB_QUEUE[row.name]) ?? []), row]);
    for (const [queue, queued] of byQueue)
      await this.queues[queue].addBulk(
        queued.map((row) => ({
          name: row.name,
          data: row.data,
          opts: { jobId: row.key, delay: Math.max(0, row.runAt.getTime() - now), ...JOB_RETRIES[row.name] },
        })),
      );
    this.faults.crashAt('crash-after-relay-enqueue');
  }
}
