import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AlertEvaluator, SiteSample, SOURCE_ASSET } from '@hallwatch/alerts';
import { MetricsService } from '@hallwatch/core';
import { Reading } from '@hallwatch/domain';
import { PointDirectory } from './point-directory.service';

/** Samples waiting for evaluation beyond this (a long Redis outage) are dropped, oldest first, and counted. */
const MAX_WAITING_SAMPLES = 1_000_000;
const RETRY_MAX_MS = 5_000;

/**
 * Hands what ingest stored to the alert evaluator, one batch after the other so that a rule sees
 * its samples in the order they were stored. Evaluation never holds up storage: the readings are
 * already safe when they get here. While Redis (rule state, the job queue) is away, batches wait
 * and are evaluated when it returns, so a breach during the outage still opens its alert.
 */
@Injectable()
export class AlertFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(AlertFeed.name);
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private closing = false;
  private readonly dropped: Counter<string>;

  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly directory: PointDirectory,
    metrics: MetricsService,
  ) {
    this.dropped = metrics.counter({
      name: 'hallwatch_alert_samples_dropped_total',
      help: 'Stored readings never evaluated by the alert rules (the evaluation backlog overflowed during an outage)',
    });
  }

  onApplicationShutdown(): void {
    this.closing = true;
  }

  stored(readings: readonly Reading[]): void {
    const samples: SiteSample[] = [];
    for (const reading of readings) {
      const address = this.directory.addressOf(reading.pointId);
      if (address) samples.push({ site: address.site, asset: address.asset, point: address.point, ts: reading.ts, value: reading.value });
    }
    this.push(samples);
  }

  /** A device or connection came or went: the `$source` point `<source>:<id>` is 1 online, 0 offline (with why, for the alert's text). */
  presence(source: string, id: string, online: boolean, at: number, reason?: string): void {
    const sample = { site: '*', asset: SOURCE_ASSET, point: `${source}:${id}`, ts: at, value: online ? 1 : 0 };
    this.push([reason ? { ...sample, note: reason } : sample]);
  }

  /** Resolves when everything handed over so far was evaluated (tests and shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private push(samples: SiteSample[]): void {
    if (samples.length === 0) return;
    if (this.waiting + samples.length > MAX_WAITING_SAMPLES) {
      this.dropped.inc(samples.length);
      return;
    }
    this.waiting += samples.length;
    this.chain = this.chain.then(() => this.evaluateUntilDone(samples));
  }

  private async evaluateUntilDone(samples: SiteSample[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.evaluator.evaluate(samples);
        break;
      } catch (error) {
        if (this.closing) {
          this.logger.warn(`alert evaluation of ${samples.length} sample(s) left undone at shutdown: ${(error as Error).message}`);
          break;
        }
        if (attempt === 0) this.logger.warn(`alert evaluation failed, retrying until it succeeds: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MAX_MS, 200 * 2 ** attempt)));
      }
    }
    this.waiting -= samples.length;
  }
}
