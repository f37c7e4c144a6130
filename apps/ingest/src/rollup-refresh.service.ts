import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '@hallwatch/core';
import { RollupRefresher } from '@hallwatch/readings';

/** Also without new batches of its own: another instance's writes, a recorded meter replacement. */
const POLL_MS = 1_000;

/**
 * Keeps the rollups caught up with what this instance (and any other) stored: a pass after every
 * stored batch and once a second. Passes never overlap here, and the refresher's lock keeps them
 * from overlapping across instances; a failed pass is simply tried again on the next turn.
 */
@Injectable()
export class RollupRefreshLoop implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RollupRefreshLoop.name);
  private readonly lag: Gauge<string>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private lastError?: string;

  constructor(
    private readonly refresher: RollupRefresher,
    metrics: MetricsService,
  ) {
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
      this.again = false;
      try {
        while ((await this.refresher.refreshPending({ wait: false })) > 0);
        if (this.lastError) this.logger.log('rollups: refreshing again');
        this.lastError = undefined;
      } catch (error) {
        if (this.lastError !== (error as Error).message) this.logger.warn({ err: error }, 'rollups: refresh failed, retrying');
        this.lastError = (error as Error).message;
        return;
      }
    } while (this.again && this.timer);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }
}
