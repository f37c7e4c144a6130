import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from '@hallwatch/core';
import { LiveReading, Reading } from '@hallwatch/domain';
import { LivePublisher } from '@hallwatch/live';
import { DeadLetter, IngestStore, ledgerEntries, ReplayOf } from '@hallwatch/readings';
import { AlertFeed } from './alert-feed.service';
import { IngestMetrics } from './ingest.metrics';
import { PointDirectory } from './point-directory.service';
import { RollupRefreshLoop } from './rollup-refresh.service';
import { DiskSpool } from './spool/disk-spool';

/** What one received message became. */
export interface IngestUnit {
  source: string;
  receivedAt: number;
  readings: Reading[];
  deadLetters: DeadLetter[];
  replay?: ReplayOf;
}

interface QueuedUnit {
  seq: number;
  unit: IngestUnit;
}

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];
/**
 * How long a stop waits for the spool to be stored (and alert evaluation to finish) before it
 * gives up: a stop must end within 10 s even while the database is away (issue #16). What is not
 * stored by then stays in the spool, acknowledged and durable, and is stored at the next start.
 */
const SHUTDOWN_WAIT_MS = 4_000;

/**
 * Everything a source accepts goes to the local spool first (a write(2), so it survives the
 * process being killed) and is acknowledged to the broker and published live right after; the writer stores it in
 * batches that grow with the load, committing the spool position in the same transaction. When
 * the database is away the spool grows; when the spool is full, acknowledgements wait, so the
 * broker keeps the messages. At start-up whatever the spool holds beyond the committed position
 * is stored first.
 */
@Injectable()
export class BatchWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BatchWriter.name);
  private readonly spool: DiskSpool<IngestUnit>;
  private readonly instance: string;
  private queue: QueuedUnit[] = [];
  private queuedReadings = 0;
  /** Acknowledgements held back while the spool is full. */
  private heldAcks: Array<() => void> = [];
  /** Readings spooled in this tick, for the live fan-out. */
  private liveBuffer: Reading[] = [];
  /** Set and cleared synchronously with the drain loop, so no enqueue can fall between the two. */
  private draining?: Promise<void>;
  private lastError?: string;
  private stopping = false;
  private closed = false;
  /** Wakes a retry that is waiting out its delay, when the stop gives up on the database. */
  private wakeRetry?: () => void;

  constructor(
    private readonly store: IngestStore,
    private readonly directory: PointDirectory,
    private readonly live: LivePublisher,
    private readonly alerts: AlertFeed,
    private readonly rollups: RollupRefreshLoop,
    private readonly metrics: IngestMetrics,
    private readonly config: AppConfig,
    health: HealthRegistry,
  ) {
    this.instance = config.get('MQTT_CLIENT_ID');
    this.spool = new DiskSpool(
      join(config.get('DATA_DIR'), 'spool', this.instance),
      config.get('SPOOL_MAX_BYTES'),
      config.get('SPOOL_SEGMENT_BYTES'),
    );
    health.register({
      name: 'ingest-writer',
      check: async () => {
        const backlog = { pendingReadings: this.queuedReadings, spoolBytes: this.spool.bytes, spoolFull: this.spool.full };
        if (this.lastError) throw new Error(`writes failing: ${this.lastError}; backlog ${JSON.stringify(backlog)}`);
        return backlog;
      },
    });
  }

  async onModuleInit(): Promise<void> {
    const left = this.spool.open();
    const { seq: committed, markerEpoch } = await this.store.committed(this.instance, this.spool.epoch);
    if (markerEpoch !== null && markerEpoch !== this.spool.epoch) {
      this.logger.warn(
        `spool: this instance's spool folder is new (epoch ${this.spool.epoch}); the stored position of the previous one ` +
          `(epoch ${markerEpoch || 'before epochs'}) does not apply to it. What that folder held unstored was lost with it.`,
      );
    }
    const unstored = left.filter((record) => record.seq > committed);
    this.spool.release(committed);
    if (unstored.length > 0) this.logger.warn(`spool: storing ${unstored.length} message(s) acknowledged before the last stop`);
    for (const record of unstored) this.push({ seq: record.seq, unit: record.body });
  }

  /** Spools the unit, then acknowledges it (at once, or when the spool has room again). */
  enqueue(unit: IngestUnit, ack: () => void): void {
    // After shutdown began nothing is acknowledged: the broker delivers it again to the next run.
    if (this.closed) return;
    const seq = this.spool.append(unit);
    this.publishLive(unit.readings);
    this.push({ seq, unit });
    if (this.spool.full) this.heldAcks.push(ack);
    else ack();
    this.metrics.spoolBytes.set(this.spool.bytes);
  }

  /** Resolves when everything enqueued so far is stored (used by shutdown and tests). */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private push(queued: QueuedUnit): void {
    this.queue.push(queued);
    this.queuedReadings += queued.unit.readings.length;
    this.metrics.pending.set(this.queuedReadings);
    this.draining ??= this.drain();
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

  private takeBatch(): QueuedUnit[] {
    const max = this.config.get('INGEST_MAX_BATCH');
    let count = 0;
    let take = 0;
    while (take < this.queue.length && (take === 0 || count + this.queue[take].unit.readings.length <= max)) {
      count += this.queue[take].unit.readings.length;
      take++;
    }
    return this.queue.splice(0, take);
  }

  private async writeUntilStored(batch: QueuedUnit[]): Promise<void> {
    const units = batch.map((queued) => queued.unit);
    const accepted = units.reduce((sum, unit) => sum + unit.readings.length, 0);
    const commit = { instance: this.instance, epoch: this.spool.epoch, seq: batch.at(-1)!.seq };
    for (let attempt = 0; ; attempt++) {
      const timer = this.metrics.writeSeconds.startTimer();
      try {
        const stored = await this.store.store(units, commit);
        timer();
        this.lastError = undefined;
        this.afterStored(units, accepted, stored, commit.seq);
        return;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.metrics.writeFailures.inc();
        if (this.stopping) return;
        // The database refuses what it was given (not that it is away): retrying cannot help,
        // and would hold up everything behind it. Find the message it refuses and dead-letter it.
        if (refusesData(error)) return this.writeOneByOne(batch);
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
        this.logger.warn({ err: error, readings: accepted, attempt }, `batch write failed, retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = undefined;
      }
    }
  }

  /** Each message on its own; one the database still refuses keeps its readings as dead letters. */
  private async writeOneByOne(batch: QueuedUnit[]): Promise<void> {
    for (const queued of batch) {
      const unit = queued.unit;
      try {
        const stored = await this.store.store([unit], { instance: this.instance, epoch: this.spool.epoch, seq: queued.seq });
        this.afterStored([unit], unit.readings.length, stored, queued.seq);
      } catch (error) {
        if (!refusesData(error)) {
          await this.writeUntilStored([queued]);
          continue;
        }
        if (unit.readings.length === 0) {
          // Even its dead letters are refused: logged with everything they said, and passed.
          this.logger.error({ err: error, deadLetters: unit.deadLetters }, 'the database refused the dead letters of a message');
          this.afterStored([], 0, [], queued.seq);
          continue;
        }
        this.logger.warn({ err: error, source: unit.source }, `the database refused ${unit.readings.length} reading(s): dead-lettered`);
        const refused: IngestUnit = {
          ...unit,
          readings: [],
          deadLetters: [...unit.deadLetters, ...unit.readings.map((reading) => this.refusedLetter(unit, reading, error as Error))],
        };
        this.queuedReadings -= unit.readings.length;
        await this.writeUntilStored([{ seq: queued.seq, unit: refused }]);
      }
    }
  }

  private refusedLetter(unit: IngestUnit, reading: Reading, error: Error): DeadLetter {
    const address = this.directory.addressOf(reading.pointId);
    return {
      source: unit.source,
      payload: JSON.stringify({ ...address, pointId: reading.pointId, ts: reading.ts, value: reading.value }),
      reason: 'storage-refused',
      detail: error.message,
      receivedAt: unit.receivedAt,
    };
  }

  private afterStored(units: IngestUnit[], accepted: number, stored: Reading[], committedSeq: number): void {
    this.queuedReadings -= accepted;
    this.metrics.pending.set(this.queuedReadings);
    this.metrics.batchSize.observe(accepted);
    this.metrics.record(ledgerEntries(units, new Set(stored.map((reading) => `${reading.pointId}:${reading.ts}`))));
    this.spool.release(committedSeq);
    if (stored.length > 0) this.rollups.nudge();
    while (this.heldAcks.length > 0 && !this.spool.full) this.heldAcks.shift()!();
    this.metrics.spoolBytes.set(this.spool.bytes);
    this.alerts.stored(stored);
  }

  /**
   * Live values go out once they are durable in the spool, not after the database write; the
   * messages of one tick share one publication.
   */
  private publishLive(readings: readonly Reading[]): void {
    if (readings.length === 0) return;
    const first = this.liveBuffer.length === 0;
    for (const reading of readings) this.liveBuffer.push(reading);
    if (!first) return;
    setImmediate(() => {
      const buffered = this.liveBuffer;
      this.liveBuffer = [];
      this.live.publish(buffered.flatMap((reading) => this.toLive(reading)));
    });
  }

  private toLive(reading: Reading): LiveReading[] {
    const address = this.directory.addressOf(reading.pointId);
    return address ? [{ site: address.site, asset: address.asset, point: address.point, ts: reading.ts, value: reading.value }] : [];
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), SHUTDOWN_WAIT_MS).unref());
    // Store what the spool holds, and let alert evaluation finish what it has, while the database
    // and Redis answer; neither may hold up the stop past the deadline.
    if ((await Promise.race([this.flushed(), deadline])) === 'late') {
      this.logger.warn(`stopping with ${this.queuedReadings} reading(s) not yet stored: they stay in the spool for the next start`);
    }
    await Promise.race([this.alerts.idle(), deadline]);
    this.stopping = true;
    this.wakeRetry?.();
    await Promise.race([this.flushed(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
    this.spool.close();
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the data, not the connection. */
function refusesData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
