import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from '@hallwatch/core';
import { LiveReading, Reading } from '@hallwatch/domain';
import { LivePublisher } from '@hallwatch/live';
import { DeadLetter, IngestStore, ledgerEntries } from '@hallwatch/readings';
import { IngestMetrics } from './ingest.metrics';
import { PointDirectory } from './point-directory.service';

/** What one received message became, and how to acknowledge it once stored. */
export interface IngestUnit {
  source: string;
  receivedAt: number;
  readings: Reading[];
  deadLetters: DeadLetter[];
  /** Called once everything of the unit is durable: only then may the broker forget the message. */
  ack: () => void;
}

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Writes what ingest accepted, in batches that grow with the load: while one write runs, the next
 * batch gathers. A failed write is retried, in order, until the database takes it; messages are
 * acknowledged only after their write, so a crash meanwhile leaves them with the broker.
 */
@Injectable()
export class BatchWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(BatchWriter.name);
  private queue: IngestUnit[] = [];
  private queuedReadings = 0;
  /** Set and cleared synchronously with the drain loop, so no enqueue can fall between the two. */
  private draining?: Promise<void>;
  private lastError?: string;
  private stopping = false;

  constructor(
    private readonly store: IngestStore,
    private readonly directory: PointDirectory,
    private readonly live: LivePublisher,
    private readonly metrics: IngestMetrics,
    private readonly config: AppConfig,
    health: HealthRegistry,
  ) {
    health.register({
      name: 'ingest-writer',
      check: async () => {
        if (this.lastError) throw new Error(`writes failing: ${this.lastError}; ${this.queuedReadings} readings waiting`);
        return { pendingReadings: this.queuedReadings };
      },
    });
  }

  enqueue(unit: IngestUnit): void {
    this.queue.push(unit);
    this.queuedReadings += unit.readings.length;
    this.metrics.pending.set(this.queuedReadings);
    this.draining ??= this.drain();
  }

  /** Resolves when everything enqueued so far is stored (used by shutdown and tests). */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      // Let the messages that arrived in the same tick join the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0 && !this.stopping) await this.writeUntilStored(this.takeBatch());
    } finally {
      this.draining = undefined;
    }
  }

  private takeBatch(): IngestUnit[] {
    const max = this.config.get('INGEST_MAX_BATCH');
    let count = 0;
    let take = 0;
    while (take < this.queue.length && (take === 0 || count + this.queue[take].readings.length <= max)) {
      count += this.queue[take].readings.length;
      take++;
    }
    return this.queue.splice(0, take);
  }

  private async writeUntilStored(batch: IngestUnit[]): Promise<void> {
    const accepted = batch.reduce((sum, unit) => sum + unit.readings.length, 0);
    for (let attempt = 0; ; attempt++) {
      const timer = this.metrics.writeSeconds.startTimer();
      try {
        const stored = await this.store.store(batch);
        timer();
        this.lastError = undefined;
        this.afterStored(batch, accepted, stored);
        return;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.metrics.writeFailures.inc();
        if (this.stopping) return;
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
        this.logger.warn({ err: error, readings: accepted, attempt }, `batch write failed, retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private afterStored(batch: IngestUnit[], accepted: number, stored: Reading[]): void {
    this.queuedReadings -= accepted;
    this.metrics.pending.set(this.queuedReadings);
    this.metrics.batchSize.observe(accepted);
    this.metrics.record(ledgerEntries(batch, new Set(stored.map((reading) => `${reading.pointId}:${reading.ts}`))));
    for (const unit of batch) unit.ack();
    this.live.publish(stored.flatMap((reading) => this.toLive(reading)));
  }

  private toLive(reading: Reading): LiveReading[] {
    const address = this.directory.addressOf(reading.pointId);
    return address ? [{ site: address.site, asset: address.asset, point: address.point, ts: reading.ts, value: reading.value }] : [];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushed();
    this.stopping = true;
  }
}
