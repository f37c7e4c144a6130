import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '@hallwatch/core';
import { Reading } from '@hallwatch/domain';
import { LivePublisher } from '@hallwatch/live';
import { CadenceLearner, DerivedReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { AlertFeed } from './alert-feed.service';
import { DerivedRefresher } from './derived/derived-refresher';
import { PointDirectory } from './point-directory.service';

/** Also without new batches of its own: another instance's writes, a recorded meter replacement. */
const POLL_MS = 1_000;
/**
 * A pass recomputes whole quarter-hours: under a steady stream, passes closer together than this
 * would redo the same buckets for a few new readings each time.
 */
const MIN_PASS_INTERVAL_MS = 500;
/**
 * Under load a turn takes longer; the next one then waits this many times as long, so the turns
 * use at most a quarter of the database's time and each one takes more readings at once (the
 * quarter-hour being written is recomputed once per turn, not once per batch).
 */
const PASS_SPACING = 3;
/** ...but never so long that the rollup lag (the target: p99 under 5 s) grows past it. */
const MAX_PASS_INTERVAL_MS = 3_000;
/** Registers' cadences change rarely; learning reads 200 readings per register. */
const LEARN_INTERVAL_MS = 10 * 60_000;

/**
 * Keeps the derived points and the rollups caught up with what this instance (and any other)
 * stored: a turn after every stored batch and once a second. A turn is a derived pass (derived
 * readings from the stored inputs, derived/derived-refresher.ts), whose readings then go to the
 * live stream and the alert rules, then rollup passes until the log is empty, so the derived
 * readings' rollups follow in the same turn. Turns never overlap here, and the rollup lock keeps
 * passes from overlapping across instances; a failed pass is simply tried again on the next turn.
 */
@Injectable()
export class RollupRefreshLoop implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RollupRefreshLoop.name);
  private readonly lag: Gauge<string>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private lastError?: string;
  private lastDerivedError?: string;
  private readonly derived: DerivedRefresher;
  private lastLearnedAt = 0;

  constructor(
    private readonly refresher: RollupRefresher,
    metrics: MetricsService,
    derivedReadings: DerivedReadingRepository,
    private readonly directory: PointDirectory,
    private readonly live: LivePublisher,
    private readonly alerts: AlertFeed,
    private readonly cadences: CadenceLearner,
  ) {
    this.derived = new DerivedRefresher(derivedReadings, directory.derived);
    this.lag = metrics.gauge({
      name: 'hallwatch_rollup_lag_seconds',
      help: 'Age of the oldest stored reading not yet in the rollups (0: caught up)',
    });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.nudge();
      this.refresher.lagSeconds().then(
        (seconds) => this.lag.set(seconds),
        () => undefined,
      );
    }, POLL_MS);
    this.timer.unref();
    this.nudge();
  }

  /** Asks for a pass; one already running is followed by another. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => (this.running = undefined));
  }

  /** Resolves when the passes asked for so far are done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    do {
      const started = Date.now();
      this.again = false;
      // A pass that took spans may have left more (a backlog, the next level of derived points): another turn.
      if ((await this.deriveOnce()) > 0) this.again = true;
      await this.learnCadences();
      try {
        while ((await this.refresher.refreshPending({ wait: false })) > 0);
        if (this.lastError) this.logger.log('rollups: refreshing again');
        this.lastError = undefined;
      } catch (error) {
        if (this.lastError !== (error as Error).message) this.logger.warn({ err: error }, 'rollups: refresh failed, retrying');
        this.lastError = (error as Error).message;
        return;
      }
      const took = Date.now() - started;
      const wait = Math.min(MAX_PASS_INTERVAL_MS, Math.max(MIN_PASS_INTERVAL_MS, PASS_SPACING * took)) - took;
      if (this.again && this.timer && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    } while (this.again && this.timer);
  }

  /** One derived pass; its failure must not hold up the rollups. Returns how many spans it took. */
  private async deriveOnce(): Promise<number> {
    try {
      const { claimed, stored } = await this.derived.refreshPending();
      if (this.lastDerivedError) this.logger.log('derived points: computing again');
      this.lastDerivedError = undefined;
      this.publish(stored);
      return claimed;
    } catch (error) {
      if (this.lastDerivedError !== (error as Error).message) this.logger.warn({ err: error }, 'derived points: pass failed, retrying');
      this.lastDerivedError = (error as Error).message;
      return 0;
    }
  }

  /** Now and then, the registers' expected intervals from their own cadence; a failure waits for the next time. */
  private async learnCadences(): Promise<void> {
    if (Date.now() - this.lastLearnedAt < LEARN_INTERVAL_MS) return;
    this.lastLearnedAt = Date.now();
    try {
      const learned = await this.cadences.learn();
      if (learned.length > 0)
        this.logger.log({ points: learned }, 'rollups: learned the reading interval of registers; redoing their rollups');
    } catch (error) {
      this.logger.warn({ err: error }, 'rollups: learning register intervals failed; trying again later');
    }
  }

  private publish(stored: readonly Reading[]): void {
    if (stored.length === 0) return;
    this.live.publish(this.directory.liveReadings(stored));
    this.alerts.stored(stored);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }
}
