import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from '@hallwatch/core';
import { Reading } from '@hallwatch/domain';
import { LivePublisher } from '@hallwatch/live';
import { IngestStore, StoredBatch } from '@hallwatch/readings';
import { AlertFeed } from './alert-feed.service';
import { IngestMetrics } from './ingest.metrics';
import { PointDirectory } from './point-directory.service';
import { RollupRefreshLoop } from './rollup-refresh.service';
import { DiskSpool } from './spool/disk-spool';
import { IngestUnit, LaneName, laneOf, WriteLane } from './write-lane';

export type { IngestUnit } from './write-lane';

/**
 * How long a stop waits for the spool to be stored (and alert evaluation to finish) before it
 * gives up: a stop must end within 10 s even while the database is away (issue #16). What is not
 * stored by then stays in the spool, acknowledged and durable, and is stored at the next start.
 */
const SHUTDOWN_WAIT_MS = 4_000;

/**
 * Everything a source accepts goes to a local spool first (a write(2), so it survives the process
 * being killed) and is acknowledged to the broker and published live right after. Two lanes store
 * it, each with its own spool, queue and writes: `live` for recent readings, `history` for
 * messages whose every reading is late (a gateway catching up, a back-fill), so that a year of
 * history never queues in front of the readings a dashboard is waiting for (#19 item 2).
 */
@Injectable()
export class BatchWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(BatchWriter.name);
  private readonly lanes: Record<LaneName, WriteLane>;
  /** Recent readings spooled in this tick, for the live fan-out. */
  private liveBuffer: Reading[] = [];
  /** History spooled in this tick: only each point's newest goes out live. */
  private historyNewest = new Map<number, Reading>();
  private closed = false;
  /** Waiting for the history lane's backlog to shrink (the history inbox feeds it no faster). */
  private historyRoomWaiters: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly historyBacklogMax: number;

  constructor(
    store: IngestStore,
    private readonly directory: PointDirectory,
    private readonly live: LivePublisher,
    private readonly alerts: AlertFeed,
    private readonly rollups: RollupRefreshLoop,
    private readonly metrics: IngestMetrics,
    config: AppConfig,
    health: HealthRegistry,
  ) {
    const instance = config.get('MQTT_CLIENT_ID');
    this.maxBatch = config.get('INGEST_MAX_BATCH');
    this.historyBacklogMax = 4 * this.maxBatch;
    const lane = (name: LaneName, folder: string, commitName: string) =>
      new WriteLane(
        {
          name,
          commitName,
          spool: new DiskSpool(
            join(config.get('DATA_DIR'), 'spool', folder),
            config.get('SPOOL_MAX_BYTES'),
            config.get('SPOOL_SEGMENT_BYTES'),
          ),
          maxBatchReadings: this.maxBatch,
          onStored: (batch) => this.stored(batch),
          onBacklog: () => this.backlogChanged(),
        },
        store,
        directory,
        metrics,
      );
    // The live lane keeps the folder and stored position the single spool had before lanes.
    this.lanes = { live: lane('live', instance, instance), history: lane('history', `${instance}.history`, `${instance}.history`) };
    health.register({
      name: 'ingest-writer',
      check: async () => {
        const backlog = Object.fromEntries(
          Object.entries(this.lanes).map(([name, lane]) => [
            name,
            { pendingReadings: lane.pendingReadings, spoolBytes: lane.spoolBytes, spoolFull: lane.spoolFull },
          ]),
        );
        const failing = Object.values(this.lanes).find((lane) => lane.lastError)?.lastError;
        if (failing) throw new Error(`writes failing: ${failing}; backlog ${JSON.stringify(backlog)}`);
        return backlog;
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.lanes.live.open();
    await this.lanes.history.open();
  }

  /** Spools the unit in its lane, then acknowledges it (at once, or when that spool has room again). */
  enqueue(unit: IngestUnit, ack: () => void): void {
    // After shutdown began nothing is acknowledged: the broker delivers it again to the next run.
    if (this.closed) return;
    const lane = laneOf(unit);
    this.lanes[lane].enqueue(unit, ack);
    this.publishLive(unit.readings, lane);
  }

  /** Resolves when everything enqueued so far is stored (used by shutdown and tests). */
  async flushed(): Promise<void> {
    await Promise.all(Object.values(this.lanes).map((lane) => lane.flushed()));
  }

  /** Whether the history lane holds less than a full batch: feeding it then comes before yielding. */
  historyHungry(): boolean {
    return this.lanes.history.pendingReadings < this.maxBatch;
  }

  /** Resolves when the history lane holds few enough readings in memory to take more. */
  async roomForHistory(): Promise<void> {
    while (this.lanes.history.pendingReadings >= this.historyBacklogMax && !this.closed)
      await new Promise<void>((resolve) => this.historyRoomWaiters.push(resolve));
  }

  private stored({ stored, ledger }: StoredBatch): void {
    this.metrics.record(ledger);
    if (stored.length > 0) this.rollups.nudge();
    this.alerts.stored(stored);
  }

  private backlogChanged(): void {
    this.metrics.pending.set(this.lanes.live.pendingReadings + this.lanes.history.pendingReadings);
    this.metrics.spoolBytes.set(this.lanes.live.spoolBytes + this.lanes.history.spoolBytes);
    if (this.lanes.history.pendingReadings < this.historyBacklogMax || this.closed) {
      const waiters = this.historyRoomWaiters;
      this.historyRoomWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /**
   * Live values go out once they are durable in the spool, not after the database write; the
   * messages of one tick share one publication. Of history, a dashboard needs only each point's
   * newest value (it keeps the newest by timestamp), so a back-fill does not flood the sockets.
   */
  private publishLive(readings: readonly Reading[], lane: LaneName): void {
    if (readings.length === 0) return;
    const first = this.liveBuffer.length === 0 && this.historyNewest.size === 0;
    if (lane === 'live') for (const reading of readings) this.liveBuffer.push(reading);
    else
      for (const reading of readings) {
        const newest = this.historyNewest.get(reading.pointId);
        if (!newest || reading.ts > newest.ts) this.historyNewest.set(reading.pointId, reading);
      }
    if (!first) return;
    setImmediate(() => {
      const buffered = [...this.historyNewest.values(), ...this.liveBuffer];
      this.liveBuffer = [];
      this.historyNewest = new Map();
      this.live.publish(this.directory.liveReadings(buffered));
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.backlogChanged();
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), SHUTDOWN_WAIT_MS).unref());
    // Store what the spools hold, and let alert evaluation finish what it has, while the database
    // and Redis answer; neither may hold up the stop past the deadline.
    if ((await Promise.race([this.flushed(), deadline])) === 'late') {
      const unstored = this.lanes.live.pendingReadings + this.lanes.history.pendingReadings;
      this.logger.warn(`stopping with ${unstored} reading(s) not yet stored: they stay in the spool for the next start`);
    }
    await Promise.race([this.alerts.idle(), deadline]);
    for (const lane of Object.values(this.lanes)) lane.stop();
    await Promise.race([this.flushed(), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
    for (const lane of Object.values(this.lanes)) lane.close();
  }
}
