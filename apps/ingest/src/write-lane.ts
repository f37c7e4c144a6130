import { Logger } from '@nestjs/common';
import { Reading } from '@hallwatch/domain';
import { DeadLetter, IngestStore, LATE_AFTER_MS, LedgerUnit, ReplayOf, StoredBatch } from '@hallwatch/readings';
import { IngestMetrics } from './ingest.metrics';
import { PointDirectory } from './point-directory.service';
import { DiskSpool } from './spool/disk-spool';

/** What one received message became. */
export interface IngestUnit extends LedgerUnit {
  readings: Reading[];
  deadLetters: DeadLetter[];
  replay?: ReplayOf;
}

export type LaneName = 'live' | 'history';

/**
 * A message is history when even its newest reading is late (a gateway catching up, a back-fill):
 * it goes to the history lane, so it never queues in front of what a dashboard shows live.
 */
export function laneOf(unit: IngestUnit): LaneName {
  if (unit.readings.length === 0) return 'live';
  let newest = -Infinity;
  for (const reading of unit.readings) if (reading.ts > newest) newest = reading.ts;
  return unit.receivedAt - newest > LATE_AFTER_MS ? 'history' : 'live';
}

export interface LaneOptions {
  name: LaneName;
  /** The name the lane's stored spool position is kept under (ingest_spool_commits.instance). */
  commitName: string;
  spool: DiskSpool<IngestUnit>;
  maxBatchReadings: number;
  /** Called after every batch the lane stored, with what the store accepted as new and counted. */
  onStored: (batch: StoredBatch) => void;
  /** Called whenever the lane's backlog or spool size changed. */
  onBacklog: () => void;
}

interface QueuedUnit {
  seq: number;
  unit: IngestUnit;
}

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * One lane of the writer: its own spool (acknowledged messages, durable), its own queue and its own
 * drain loop storing batches that grow with the load, committing the spool position in the same
 * transaction. When the database is away the spool grows; when the spool is full, acknowledgements
 * wait, so the broker keeps the messages. At start-up whatever the spool holds beyond the committed
 * position is stored first.
 */
export class WriteLane {
  private readonly logger: Logger;
  private queue: QueuedUnit[] = [];
  private queued = 0;
  /** Acknowledgements held back while the spool is full. */
  private heldAcks: Array<() => void> = [];
  /** Set and cleared synchronously with the drain loop, so no enqueue can fall between the two. */
  private draining?: Promise<void>;
  private failing?: string;
  private stopping = false;
  /** Wakes a retry that is waiting out its delay, when the stop gives up on the database. */
  private wakeRetry?: () => void;

  constructor(
    private readonly options: LaneOptions,
    private readonly store: IngestStore,
    private readonly directory: PointDirectory,
    private readonly metrics: IngestMetrics,
  ) {
    this.logger = new Logger(`WriteLane:${options.name}`);
  }

  get pendingReadings(): number {
    return this.queued;
  }

  get spoolBytes(): number {
    return this.options.spool.bytes;
  }

  get spoolFull(): boolean {
    return this.options.spool.full;
  }

  get lastError(): string | undefined {
    return this.failing;
  }

  /** Opens the spool and queues what it holds beyond the stored position. */
  async open(): Promise<void> {
    const { spool, commitName, name } = this.options;
    const left = spool.open();
    const { seq: committed, markerEpoch } = await this.store.committed(commitName, spool.epoch);
    if (markerEpoch !== null && markerEpoch !== spool.epoch) {
      this.logger.warn(
        `spool: the ${name} lane's spool folder is new (epoch ${spool.epoch}); the stored position of the previous one ` +
          `(epoch ${markerEpoch || 'before epochs'}) does not apply to it. What that folder held unstored was lost with it.`,
      );
    }
    const unstored = left.filter((record) => record.seq > committed);
    spool.release(committed);
    if (unstored.length > 0) this.logger.warn(`spool: storing ${unstored.length} message(s) acknowledged before the last stop`);
    for (const record of unstored) this.push({ seq: record.seq, unit: record.body });
  }

  /** Spools the unit, then acknowledges it (at once, or when the spool has room again). */
  enqueue(unit: IngestUnit, ack: () => void): void {
    const seq = this.options.spool.append(unit);
    this.push({ seq, unit });
    if (this.options.spool.full) this.heldAcks.push(ack);
    else ack();
  }

  /** Resolves when everything enqueued so far is stored (or the lane stopped). */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops writing after the batch in hand; what is queued stays in the spool for the next start. */
  stop(): void {
    this.stopping = true;
    this.wakeRetry?.();
  }

  close(): void {
    this.options.spool.close();
  }

  private push(queued: QueuedUnit): void {
    this.queue.push(queued);
    this.queued += queued.unit.readings.length;
    this.options.onBacklog();
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
    const max = this.options.maxBatchReadings;
    let count = 0;
    let take = 0;
    while (take < this.queue.length && (take === 0 || count + this.queue[take].unit.readings.length <= max)) {
      count += this.queue[take].unit.readings.length;
      take++;
    }
    return this.queue.splice(0, take);
  }

  private commitOf(seq: number) {
    return { instance: this.options.commitName, epoch: this.options.spool.epoch, seq };
  }

  private async writeUntilStored(batch: QueuedUnit[]): Promise<void> {
    const units = batch.map((queued) => queued.unit);
    const accepted = units.reduce((sum, unit) => sum + unit.readings.length, 0);
    for (let attempt = 0; ; attempt++) {
      const timer = this.metrics.writeSeconds.startTimer();
      try {
        const stored = await this.store.store(units, this.commitOf(batch.at(-1)!.seq));
        timer();
        this.failing = undefined;
        this.afterStored(accepted, stored, batch.at(-1)!.seq);
        return;
      } catch (error) {
        this.failing = (error as Error).message;
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
        const stored = await this.store.store([unit], this.commitOf(queued.seq));
        this.afterStored(unit.readings.length, stored, queued.seq);
      } catch (error) {
        if (!refusesData(error)) {
          await this.writeUntilStored([queued]);
          continue;
        }
        if (unit.readings.length === 0) {
          // Even its dead letters are refused: logged with everything they said, and passed.
          this.logger.error({ err: error, deadLetters: unit.deadLetters }, 'the database refused the dead letters of a message');
          this.afterStored(0, { stored: [], ledger: [] }, queued.seq);
          continue;
        }
        this.logger.warn({ err: error, source: unit.source }, `the database refused ${unit.readings.length} reading(s): dead-lettered`);
        const refused: IngestUnit = {
          ...unit,
          readings: [],
          deadLetters: [...unit.deadLetters, ...unit.readings.map((reading) => this.refusedLetter(unit, reading, error as Error))],
        };
        this.queued -= unit.readings.length;
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

  private afterStored(accepted: number, stored: StoredBatch, committedSeq: number): void {
    this.queued -= accepted;
    this.metrics.batchSize.observe(accepted);
    this.options.spool.release(committedSeq);
    while (this.heldAcks.length > 0 && !this.options.spool.full) this.heldAcks.shift()!();
    this.options.onBacklog();
    this.options.onStored(stored);
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the data, not the connection. */
function refusesData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
